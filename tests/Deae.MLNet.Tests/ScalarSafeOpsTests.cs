using Deae.MLNet.Runtime;
using TorchSharp;

namespace Deae.MLNet.Tests;

public class ScalarSafeOpsTests
{
    /// <summary>
    /// Scalar arithmetic in a loop while another thread forces garbage collections and finalisers: a
    /// scalar finalised during its native call would give wrong values or a libtorch error. The same
    /// expression written with TorchSharp's operators failed here within 2 s ("Scalar.h toFloat").
    /// </summary>
    [Fact]
    public async Task ScalarArithmeticSurvivesCollectionsDuringNativeCalls()
    {
        TorchRuntime.EnsureLoaded();
        using var a = torch.full(8, 3f);
        using var b = torch.full(8, 1f);
        await using (new CollectionPressure())
        {
            for (int i = 0; i < Iterations; i++)
            {
                using var scope = torch.NewDisposeScope();
                // ((3 + 1) × 0.5 + 1) ÷ 2 = 1.5, clamped to [0, 1] = 1; then 1 − 1 = 0, at least 0.25.
                var value = a.Plus(b).Times(0.5).Plus(1L).DividedBy(2).ClampedTo(0, 1).SubtractedFrom(1).AtLeast(0.25);
                Assert.Equal(0.25f, value.sum().item<float>() / 8, 1e-6);
                Assert.Equal(0.0625f, value.Squared().sum().item<float>() / 8, 1e-6);
                Assert.Equal(28L, ScalarSafeOps.Range(8, torch.CPU).sum().item<long>());
            }
        }
    }

    private const int Iterations = 20_000;
}
