using Deae.MLNet.Data;
using Deae.MLNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Training;

/// <summary>
/// The training objective on validation images. The batches (groups for the group-supervised kinds,
/// plain images for the others) are drawn once from a fixed seed and every evaluation replays the same
/// interpolation and noise draws from its own generator, so two evaluations differ only because the
/// weights did. Scoring runs without gradients and never touches the training run's generator, so a
/// run with validation ends with exactly the weights of the same run without it.
/// </summary>
internal sealed class ValidationLoss : IDisposable
{
    private const long DrawSeed = 0x5EED_7A11;

    private readonly ImageDataset _data;
    private readonly List<(int[] Indices, int Groups)> _batches = [];
    private readonly DecoderOutput _output;
    private readonly Device _device;
    private readonly Generator _generator;
    private readonly DeaeObjective _objective;

    /// <param name="data">The validation images; geometry and attribute columns must match the training data.</param>
    /// <param name="network">The network being trained.</param>
    /// <param name="layout">The latent layout (its attributes are the trained ones, in latent order).</param>
    /// <param name="options">The trainer options (kind, weights, batch size, <see cref="DeaeTrainerOptions.ValidationGroups"/>).</param>
    /// <param name="device">Where the tensors live.</param>
    public ValidationLoss(ImageDataset data, DeaeNetwork network, LatentLayout layout, DeaeTrainerOptions options, Device device)
    {
        var architecture = options.Architecture;
        if (data.Width != architecture.ImageSize || data.Height != architecture.ImageSize || data.Channels != architecture.Channels)
        {
            throw new ArgumentException($"Validation data: the images are {data.Width}x{data.Height} with {data.Channels} channel(s) but the training images are {architecture.ImageSize}x{architecture.ImageSize} with {architecture.Channels}.");
        }

        _data = data;
        _output = architecture.Output;
        _device = device;
        _generator = new Generator((ulong)DrawSeed); // a CPU generator on every device (DeaeObjective draws on the CPU)
        _objective = new DeaeObjective(network, layout, options, device, _generator);
        DrawBatches(options, AboutValidationData(() => layout.Attributes.Select(data.AttributeIndex).ToArray()));
    }

    /// <summary>
    /// The mean of every loss term (and "total") over the validation batches, weighted by their size;
    /// "total" weighs the regulariser as the training step <paramref name="step"/> (0-based) did.
    /// </summary>
    public Dictionary<string, float> Compute(int step)
    {
        using var noGradients = no_grad();
        _generator.manual_seed(DrawSeed);
        var sums = new Dictionary<string, double>();
        double weight = 0;
        foreach (var (indices, groups) in _batches)
        {
            using var scope = NewDisposeScope();
            var images = PixelCodec.ToTensor(_data, indices, _output, _device);
            var (total, terms) = _objective.Compute(images, groups, step);
            Add(sums, "total", total.item<float>() * groups);
            foreach (var (name, value) in terms)
            {
                Add(sums, name, value.item<float>() * groups);
            }

            weight += groups;
        }

        return sums.ToDictionary(s => s.Key, s => (float)(s.Value / weight));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _objective.Dispose();
        _generator.Dispose();
    }

    private void DrawBatches(DeaeTrainerOptions options, int[] attributes)
    {
        var random = new Random((int)(DrawSeed & int.MaxValue));
        int groupSize = attributes.Length + 1;
        int total = options.ValidationGroups;
        if (options.Kind is ModelKind.Deae or ModelKind.GslAe)
        {
            var sampler = AboutValidationData(() => new GroupSampler(_data, attributes, allowSingleValue: true));
            for (int done = 0; done < total; done += options.GroupsPerBatch)
            {
                int groups = Math.Min(options.GroupsPerBatch, total - done);
                var indices = new int[groups * groupSize];
                sampler.Sample(groups, random, indices);
                _batches.Add((indices, groups));
            }

            return;
        }

        // Plain kinds: as many distinct images as the groups would hold, in batches of a training step's size.
        var order = Enumerable.Range(0, _data.Count).ToArray();
        random.Shuffle(order);
        int count = Math.Min(_data.Count, total * groupSize);
        int perBatch = options.GroupsPerBatch * groupSize;
        for (int start = 0; start < count; start += perBatch)
        {
            var indices = order.AsSpan(start, Math.Min(perBatch, count - start)).ToArray();
            _batches.Add((indices, indices.Length));
        }
    }

    /// <summary>Runs <paramref name="build"/>; a bad-input error it raises is said to be about the validation data.</summary>
    private static T AboutValidationData<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Validation data: {e.Message}", e);
        }
    }

    private static void Add(Dictionary<string, double> sums, string name, double value) =>
        sums[name] = sums.GetValueOrDefault(name) + value;
}
