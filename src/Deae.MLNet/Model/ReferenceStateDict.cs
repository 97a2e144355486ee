using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>
/// The network's weights under the parameter names of the reference PyTorch class (GSL's
/// <c>Generator_fc</c> / <c>Generator_fc_dsprites</c> in <c>model_share.py</c>), so that
/// <c>load_state_dict(..., strict=True)</c> accepts them.
/// </summary>
/// <remarks>
/// The reference class registers the same layers in several <c>nn.Sequential</c>s (<c>start_part</c>,
/// <c>down_part</c>, <c>eli_pose_part</c>, <c>encoder</c>, <c>main</c>, …), and PyTorch's state dict
/// lists a shared layer once under every one of them; a strict load needs them all, so every alias is
/// written (as a copy of the same weights). Its instance norms track running statistics, which this
/// project does not (it always normalises with the instance's own statistics, as the reference does
/// in training mode, the only mode its code uses): they are written as mean 0, variance 1, 0 batches.
/// </remarks>
internal static class ReferenceStateDict
{
    private enum LayerKind
    {
        Convolution,
        Norm,
        Activation,
        Residual,
        Linear,
    }

    private readonly record struct Layer(LayerKind Kind, string Source = "");

    /// <summary>Reference name → tensor, for every key the reference class's state dict has.</summary>
    /// <param name="network">The network whose weights are named.</param>
    /// <param name="architecture">Its shape (stages, residual blocks, output).</param>
    /// <exception cref="InvalidOperationException">If a weight of the network has no reference name (a mapping bug).</exception>
    public static Dictionary<string, Tensor> Build(DeaeNetwork network, DeaeArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(architecture);
        var ours = network.state_dict();
        var used = new HashSet<string>();
        var result = new Dictionary<string, Tensor>();

        var relu = new Layer(LayerKind.Activation);
        var start = new List<Layer> { new(LayerKind.Convolution, "encoder.features.stem"), new(LayerKind.Norm, "encoder.features.stem_norm"), relu };
        var down = new List<Layer>();
        var up = new List<Layer>();
        for (int s = 0; s < architecture.Stages; s++)
        {
            down.AddRange([new(LayerKind.Convolution, $"encoder.features.down{s}"), new(LayerKind.Norm, $"encoder.features.down{s}_norm"), relu]);
            up.AddRange([new(LayerKind.Convolution, $"decoder.features.up{s}"), new(LayerKind.Norm, $"decoder.features.up{s}_norm"), relu]);
        }

        up.Add(new(LayerKind.Convolution, "decoder.features.head"));
        if (architecture.Output == DecoderOutput.Tanh)
        {
            up.Add(new(LayerKind.Activation)); // Generator_fc ends in nn.Tanh(); the dSprites class has none.
        }

        var residualEncoder = Enumerable.Range(0, architecture.ResidualBlocks).Select(r => new Layer(LayerKind.Residual, $"encoder.features.res{r}")).ToList();
        var residualDecoder = Enumerable.Range(0, architecture.ResidualBlocks).Select(r => new Layer(LayerKind.Residual, $"decoder.features.res{r}")).ToList();

        // The reference class's registration order; the aliases are the same layer objects there.
        var sequentials = new (string Name, IEnumerable<Layer> Layers)[]
        {
            ("start_part", start),
            ("down_part", down),
            ("eli_pose_part", start.Concat(down)),
            ("bottlen_encoder_part", residualEncoder),
            ("encoder", start.Concat(down).Concat(residualEncoder)),
            ("fc_encoder", [new(LayerKind.Linear, "encoder.fc1"), relu, new(LayerKind.Linear, "encoder.fc2")]),
            ("fc_decoder", [new(LayerKind.Linear, "decoder.fc1"), relu, new(LayerKind.Linear, "decoder.fc2")]),
            ("bottlen_decoder_part", residualDecoder),
            ("up_part", up),
            ("decoder", residualDecoder.Concat(up)),
            ("main", start.Concat(down).Concat(residualEncoder).Concat(residualDecoder).Concat(up)),
        };

        foreach (var (name, layers) in sequentials)
        {
            int index = 0;
            foreach (var layer in layers)
            {
                Add($"{name}.{index++}", layer);
            }
        }

        if (ours.ContainsKey("encoder.fc_logvar.weight"))
        {
            // β-VAE's log-variance head has no counterpart in the reference class.
            Copy("fc_logvar.weight", "encoder.fc_logvar.weight");
            Copy("fc_logvar.bias", "encoder.fc_logvar.bias");
        }

        var unnamed = ours.Keys.Where(k => !used.Contains(k)).ToList();
        if (unnamed.Count > 0)
        {
            throw new InvalidOperationException($"No reference name for {string.Join(", ", unnamed)}.");
        }

        return result;

        void Add(string prefix, Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Convolution:
                    Copy($"{prefix}.weight", $"{layer.Source}.weight");
                    break;
                case LayerKind.Linear:
                    Copy($"{prefix}.weight", $"{layer.Source}.weight");
                    Copy($"{prefix}.bias", $"{layer.Source}.bias");
                    break;
                case LayerKind.Norm:
                    Copy($"{prefix}.weight", $"{layer.Source}.weight");
                    Copy($"{prefix}.bias", $"{layer.Source}.bias");
                    long channels = ours[$"{layer.Source}.weight"].shape[0];
                    result[$"{prefix}.running_mean"] = zeros(channels);
                    result[$"{prefix}.running_var"] = ones(channels);
                    result[$"{prefix}.num_batches_tracked"] = tensor(0L);
                    break;
                case LayerKind.Residual:
                    // ResidualBlock.main = Sequential(conv, IN, ReLU, conv, IN).
                    Add($"{prefix}.main.0", new(LayerKind.Convolution, $"{layer.Source}.conv1"));
                    Add($"{prefix}.main.1", new(LayerKind.Norm, $"{layer.Source}.norm1"));
                    Add($"{prefix}.main.3", new(LayerKind.Convolution, $"{layer.Source}.conv2"));
                    Add($"{prefix}.main.4", new(LayerKind.Norm, $"{layer.Source}.norm2"));
                    break;
                case LayerKind.Activation:
                    break;
            }
        }

        void Copy(string referenceName, string ourName)
        {
            result[referenceName] = ours[ourName].detach().cpu();
            used.Add(ourName);
        }
    }
}
