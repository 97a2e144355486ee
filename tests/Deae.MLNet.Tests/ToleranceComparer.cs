namespace Deae.MLNet.Tests;

/// <summary>Floats equal to within an absolute tolerance (for Assert.Equal on sequences).</summary>
internal sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

    // Equal values must hash alike, and values within the tolerance are equal: one bucket.
    public int GetHashCode(float obj) => 0;
}
