using System.Diagnostics;
using Deae.MLNet.Data;
using Deae.MLNet.Model;
using Deae.MLNet.Runtime;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Deae.MLNet.Tests;

/// <summary>
/// The safetensors export loaded by real PyTorch into the reference repository's own classes
/// (strict <c>load_state_dict</c>), whose forward pass must give this model's latent and image.
/// </summary>
public class PyTorchReferenceLoadTests(ITestOutputHelper log)
{
    [PyTorchFact]
    public void TheReferenceClassesLoadTheExportStrictlyAndComputeTheSameOutputs()
    {
        TorchRuntime.EnsureLoaded();
        Check(DeaeArchitecture.Reference128(), "Generator_fc");
        Check(DeaeArchitecture.ReferenceSprites(), "Generator_fc_dsprites");
    }

    private void Check(DeaeArchitecture architecture, string referenceClass)
    {
        using var temp = new TempFolder();
        using var scope = NewDisposeScope();
        manual_seed(11);
        var network = new DeaeNetwork(architecture, variational: false);
        using (no_grad())
        {
            // Untrained instance norms are all 1 and 0, which would hide a norm exported under another
            // norm's name: every parameter is moved off its initial value first.
            foreach (var parameter in network.parameters())
            {
                parameter.add_(randn_like(parameter).mul(0.05));
            }
        }

        var attributes = new[] { new AttributeDefinition("a", ["x", "y"]) };
        using var model = new DeaeModel(ModelKind.Deae, architecture, LatentLayout.Equal(["a"], architecture.LatentDimension), attributes, network, CPU, 0);
        string weights = temp.Combine("weights.safetensors"), io = temp.Combine("io.safetensors");
        model.ExportSafetensors(weights, overwrite: false);

        var x = rand(2, architecture.Channels, architecture.ImageSize, architecture.ImageSize).mul(2).sub(1);
        using (no_grad())
        {
            var z = network.Encoder.forward(x);
            var image = network.Decoder.forward(z);
            TorchSharp.PyBridge.Safetensors.SaveStateDict(io, new Dictionary<string, Tensor> { ["x"] = x, ["z"] = z, ["image"] = image });
        }

        string script = Path.Combine(AppContext.BaseDirectory, "pytorch", "reference_load_check.py");
        var start = new ProcessStartInfo(PyTorchFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            script, "--reference-repo", PyTorchFactAttribute.ReferenceRepository, "--weights", weights, "--io", io, "--class", referenceClass,
            "--nc", $"{architecture.Channels}", "--conv-dim", $"{architecture.BaseWidth}", "--repeat-num", $"{architecture.ResidualBlocks}", "--z-dim", $"{architecture.LatentDimension}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var python = Process.Start(start)!;
        var errors = python.StandardError.ReadToEndAsync(); // both pipes drained at once, so neither can fill and block
        string output = python.StandardOutput.ReadToEnd() + errors.Result;
        python.WaitForExit();
        log.WriteLine(output);
        Assert.True(python.ExitCode == 0, $"{referenceClass}: {output}");
    }
}
