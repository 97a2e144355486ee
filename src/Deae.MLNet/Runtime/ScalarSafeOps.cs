using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Runtime;

/// <summary>
/// Tensor arithmetic whose scalars stay referenced until libtorch has used them. TorchSharp turns
/// numbers (including the implicit alpha = 1 of <c>tensor + tensor</c>) into finalisable
/// <see cref="Scalar"/> objects and passes only their native handle on; a garbage collection that runs
/// in that moment (another thread allocating) may finalise the Scalar while libtorch reads it. This was
/// seen here once as "Scalar.h toFloat: Expected false to be true" inside a residual block's add. The
/// library's tensor code therefore uses these helpers instead of the operators with numbers.
/// </summary>
internal static class ScalarSafeOps
{
    // Rooted for the life of the process, so never finalised.
    internal static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar, One);
    }

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>, keeping an integer tensor integer.</summary>
    public static Tensor Plus(this Tensor tensor, long value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar, One);
    }

    /// <summary><paramref name="value"/> − <paramref name="tensor"/>.</summary>
    public static Tensor SubtractedFrom(this Tensor tensor, double value) => tensor.neg().Plus(value);

    /// <summary>0, 1, …, <paramref name="count"/> − 1 as a long tensor on <paramref name="device"/> (TorchSharp's <c>arange(n)</c> makes three temporary Scalars).</summary>
    public static Tensor Range(long count, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, stop, step, ScalarType.Int64, device);
    }

    /// <summary>
    /// <paramref name="tensor"/>², as a product of two tensors: TorchSharp's <c>square()</c> is
    /// <c>pow(2)</c> with a temporary Scalar (it failed the collection stress test). Same values and
    /// gradients: libtorch computes pow(x, 2) as x·x, and doubling is exact.
    /// </summary>
    public static Tensor Squared(this Tensor tensor) => tensor.mul(tensor);

    /// <summary><paramref name="tensor"/> × <paramref name="factor"/>.</summary>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><paramref name="tensor"/> ÷ <paramref name="divisor"/>.</summary>
    public static Tensor DividedBy(this Tensor tensor, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary>The integer remainder of <paramref name="tensor"/> by <paramref name="divisor"/>.</summary>
    public static Tensor Modulo(this Tensor tensor, long divisor)
    {
        using var scalar = divisor.ToScalar();
        return tensor.remainder(scalar);
    }

    /// <summary><paramref name="tensor"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor ClampedTo(this Tensor tensor, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return tensor.clamp(low, high);
    }

    /// <summary><paramref name="tensor"/> with values below <paramref name="min"/> raised to it.</summary>
    public static Tensor AtLeast(this Tensor tensor, double min)
    {
        using var low = min.ToScalar();
        return tensor.clamp_min(low);
    }
}
