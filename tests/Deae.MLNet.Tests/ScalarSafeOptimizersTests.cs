using Deae.MLNet.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

public class ScalarSafeOptimizersTests
{
    /// <summary>A small network with weights from <paramref name="seed"/>.</summary>
    private static Sequential Network(int seed)
    {
        TorchRuntime.EnsureLoaded();
        manual_seed(seed);
        return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3));
    }

    private static void Step(Sequential network, OptimizerHelper optimizer, int step)
    {
        using var scope = NewDisposeScope();
        manual_seed(100 + step);
        var input = randn(8, 6);
        var loss = network.forward(input).Squared().mean(); // square() would itself pass a temporary Scalar
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }

    private static float[][] Weights(Sequential network) => network.parameters().Select(p => p.data<float>().ToArray()).ToArray();

    [Fact]
    public void ItsStepsAreBitForBitTorchSharpsAdamAndItsStateLoadsIntoIt()
    {
        using var ours = Network(1);
        using var theirs = Network(1);
        using var oursAdam = new ScalarSafeOptimizers.Adam(ours.parameters(), 1e-2);
        using var theirsAdam = optim.Adam(theirs.parameters(), lr: 1e-2);
        for (int step = 0; step < 5; step++)
        {
            Step(ours, oursAdam, step);
            Step(theirs, theirsAdam, step);
        }

        Assert.Equal(Weights(theirs), Weights(ours));
        Assert.NotEqual(Weights(Network(1)), Weights(ours)); // the steps did move the weights

        // A checkpoint of our optimizer continues in TorchSharp's, and the runs stay identical.
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            oursAdam.save_state_dict(writer);
        }

        stream.Position = 0;
        using var reloaded = Network(1);
        using var reloadedAdam = optim.Adam(reloaded.parameters(), lr: 1e-2);
        using (no_grad())
        {
            foreach (var (target, source) in reloaded.parameters().Zip(ours.parameters()))
            {
                target.copy_(source);
            }
        }

        using (var reader = new BinaryReader(stream))
        {
            reloadedAdam.load_state_dict(reader);
        }

        for (int step = 5; step < 8; step++)
        {
            Step(ours, oursAdam, step);
            Step(reloaded, reloadedAdam, step);
        }

        Assert.Equal(Weights(ours), Weights(reloaded));
    }

    /// <summary>
    /// Optimiser steps while another thread forces collections and finalisers, the situation in which
    /// TorchSharp's Adam lost a Scalar in the middle of <c>addcmul_</c> and stopped a training run. With
    /// the scalars kept referenced, every step completes and the weights stay finite.
    /// </summary>
    [Fact]
    public async Task StepsSurviveCollectionsDuringNativeCalls()
    {
        using var network = Network(2);
        using var optimizer = new ScalarSafeOptimizers.Adam(network.parameters(), 1e-3);
        await using (new CollectionPressure())
        {
            for (int step = 0; step < Steps; step++)
            {
                Step(network, optimizer, step);
            }
        }

        Assert.All(Weights(network).SelectMany(w => w), w => Assert.True(float.IsFinite(w)));
    }

    private const int Steps = 3000;
}
