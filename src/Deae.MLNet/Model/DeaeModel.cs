using Deae.MLNet.Data;
using Deae.MLNet.IO;
using Deae.MLNet.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Deae.MLNet.Model;

/// <summary>
/// A trained DEAE (or baseline): the network plus everything needed to use it — architecture,
/// latent layout, the attributes' values and the pixel normalisation. Saved as one self-describing file.
/// </summary>
public sealed class DeaeModel : IDisposable
{
    /// <summary>Magic bytes of a model file.</summary>
    internal const string FileMagic = "DEAEMODL";

    /// <summary>Current model file version (2 adds the optional exploration section).</summary>
    internal const int FileVersion = 2;

    private const int InferenceBatch = 256;

    /// <summary>Wraps a network with its description.</summary>
    internal DeaeModel(ModelKind kind, DeaeArchitecture architecture, LatentLayout layout, IReadOnlyList<AttributeDefinition> attributes, DeaeNetwork network, Device device, int trainedSteps)
    {
        Kind = kind;
        Architecture = architecture;
        Layout = layout;
        Attributes = attributes;
        Network = network;
        Device = device;
        TrainedSteps = trainedSteps;
    }

    /// <summary>The model kind (DEAE, GSL-AE, autoencoder, β-VAE).</summary>
    public ModelKind Kind { get; }

    /// <summary>The network's shape.</summary>
    public DeaeArchitecture Architecture { get; }

    /// <summary>Which latent dimensions belong to which attribute.</summary>
    public LatentLayout Layout { get; }

    /// <summary>The attributes in latent order, with the values seen in training.</summary>
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>Optimisation steps the weights were trained for.</summary>
    public int TrainedSteps { get; internal set; }

    /// <summary>
    /// Backward passes the trainer repeated in this process because a finite loss gave a non-finite gradient
    /// (a CPU convolution fault seen on some machines; docs/training.md); 0 on a healthy machine. Not saved.
    /// </summary>
    public int RepeatedBackwardPasses { get; internal set; }

    /// <summary>
    /// The objective on validation data at each scored step of the training call that produced this
    /// model (empty without validation data, and for a loaded model: it is not stored in the file).
    /// </summary>
    public IReadOnlyList<Training.ValidationResult> ValidationHistory => _validationHistory;

    private readonly List<Training.ValidationResult> _validationHistory = [];

    /// <summary>Records a validation pass (the trainer's).</summary>
    internal void AddValidation(Training.ValidationResult result) => _validationHistory.Add(result);

    /// <summary>
    /// UDVs and centres fitted for this model, saved and loaded with it; null until fitted. Setting one that does
    /// not fit this model's latent layout (<see cref="Exploration.LatentExplorer.Validate"/>) throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public Exploration.LatentExplorer? Explorer
    {
        get => _explorer;
        set
        {
            value?.Validate(Layout);
            _explorer = value;
        }
    }

    private Exploration.LatentExplorer? _explorer;

    /// <summary>The device the network lives on.</summary>
    public Device Device { get; }

    /// <summary>The encoder and decoder.</summary>
    internal DeaeNetwork Network { get; }

    /// <summary>Latent codes of images [N, C, H, W] (normalised as <see cref="PixelCodec"/> does), in batches, without gradients.</summary>
    public Tensor Encode(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckImages(images);
        return images.shape[0] == 0 ? empty([0, Layout.Dimension], device: Device) : Batched(images, Network.Encoder.forward);
    }

    /// <summary>Decoded images [N, C, H, W] (tanh pixels or logits) of latent codes [N, z], in batches, without gradients.</summary>
    public Tensor Decode(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.dim() != 2 || latents.shape[1] != Layout.Dimension || latents.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Latents must be float32 [N, {Layout.Dimension}]; got {latents.dtype} [{string.Join(", ", latents.shape)}].", nameof(latents));
        }

        var a = Architecture;
        return latents.shape[0] == 0 ? empty([0, a.Channels, a.ImageSize, a.ImageSize], device: Device) : Batched(latents, Network.Decoder.forward);
    }

    /// <summary>Latent codes of interleaved byte images, one float array per image.</summary>
    public float[][] Encode(IReadOnlyList<byte[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        var codes = Encode(PixelCodec.ToTensor(images, Architecture.ImageSize, Architecture.ImageSize, Architecture.Channels, Architecture.Output, Device)).cpu();
        var flat = codes.data<float>().ToArray();
        int z = Layout.Dimension;
        return Enumerable.Range(0, images.Count).Select(i => flat.AsSpan(i * z, z).ToArray()).ToArray();
    }

    /// <summary>Interleaved byte images decoded from latent codes.</summary>
    public byte[][] Decode(IReadOnlyList<float[]> latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        int z = Layout.Dimension;
        var flat = new float[latents.Count * z];
        for (int i = 0; i < latents.Count; i++)
        {
            if (latents[i].Length != z)
            {
                throw new ArgumentException($"Latent {i} has {latents[i].Length} values; the model's latent has {z}.", nameof(latents));
            }

            latents[i].CopyTo(flat, i * z);
        }

        return PixelCodec.ToBytes(Decode(tensor(flat, [latents.Count, z]).to(Device)), Architecture.Output);
    }

    /// <summary>
    /// For each pair, image <paramref name="images"/>[i] with the chunk of <paramref name="attribute"/>
    /// taken from <paramref name="donors"/>[i], decoded: the attribute should become the donor's, the rest stay.
    /// </summary>
    public byte[][] SwapAttribute(IReadOnlyList<byte[]> images, IReadOnlyList<byte[]> donors, string attribute)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(donors);
        ArgumentNullException.ThrowIfNull(attribute);
        if (images.Count != donors.Count)
        {
            throw new ArgumentException($"{images.Count} images but {donors.Count} donors: they are used in pairs.", nameof(donors));
        }

        var range = Layout.Range(Layout.IndexOf(attribute));
        var codes = Encode(images);
        var donorCodes = Encode(donors);
        for (int i = 0; i < codes.Length; i++)
        {
            donorCodes[i].AsSpan(range).CopyTo(codes[i].AsSpan(range));
        }

        return Decode(codes);
    }

    /// <summary>Decode(Encode(images)).</summary>
    public byte[][] Reconstruct(IReadOnlyList<byte[]> images) => Decode(Encode(images));

    /// <summary>Saves the model (weights and description) to one file, atomically.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    public void Save(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var sections = new List<byte[]> { ModelHeader.From(this).ToBytes(), WeightsToBytes(Network) };
        if (Explorer is not null)
        {
            sections.Add(Explorer.ToJson());
        }

        SectionedFile.Write(path, FileMagic, FileVersion, sections, overwrite);
    }

    /// <summary>Loads a model file written by <see cref="Save"/>; errors name the file and what is wrong.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">"auto", "cpu" or "cuda".</param>
    public static DeaeModel Load(string path, string device = "auto")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchRuntime.EnsureLoaded();
        var (_, sections) = SectionedFile.Read(path, FileMagic, FileVersion);
        if (sections.Count is not (2 or 3))
        {
            throw new InvalidDataException($"'{path}' has {sections.Count} sections; a model file has 2, or 3 with exploration data.");
        }

        var header = ModelHeader.FromBytes(sections[0], path);
        var target = DeviceSelection.Resolve(device);
        DeaeArchitecture architecture;
        LatentLayout layout;
        List<AttributeDefinition> attributes;
        DeaeNetwork network;
        try
        {
            architecture = header.Architecture();
            layout = LatentLayout.Parse(header.Layout, header.LatentDimension);
            attributes = header.AttributeDefinitions(layout);
            network = new DeaeNetwork(architecture, header.Kind == ModelKind.BetaVae);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            // The checksum held, so the header was written this way (by hand, or by a mixed-up tool): say which file.
            throw new InvalidDataException($"'{path}' has an inconsistent model header: {ex.Message}", ex);
        }

        try
        {
            var explorer = sections.Count == 3 ? Exploration.LatentExplorer.FromJson(sections[2], path) : null;
            try
            {
                explorer?.Validate(layout);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"'{path}' has an exploration section that does not fit its model: {ex.Message}", ex);
            }

            WeightsFromBytes(network, sections[1], path);
            network.to(target);
            network.eval();
            return new DeaeModel(header.Kind, architecture, layout, attributes, network, target, header.Steps) { Explorer = explorer };
        }
        catch
        {
            network.Dispose(); // native memory: a refused file must not leak the network built for it
            throw;
        }
    }

    /// <summary>
    /// Writes the weights as safetensors under the reference network's parameter names
    /// (<see cref="SafetensorsNaming.Reference"/>), atomically.
    /// </summary>
    /// <param name="path">The .safetensors file.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    public void ExportSafetensors(string path, bool overwrite) => ExportSafetensors(path, overwrite, SafetensorsNaming.Reference);

    /// <summary>
    /// Writes the weights as safetensors (readable by PyTorch's <c>safetensors.torch.load_file</c>),
    /// atomically, named as <paramref name="naming"/> says; the mapping between the two namings is in
    /// docs/training.md.
    /// </summary>
    /// <param name="path">The .safetensors file.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="naming">Reference-class names (loadable into GSL's PyTorch class) or this project's own.</param>
    public void ExportSafetensors(string path, bool overwrite, SafetensorsNaming naming)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = NewDisposeScope();
        var state = naming switch
        {
            SafetensorsNaming.Reference => ReferenceStateDict.Build(Network, Architecture),
            SafetensorsNaming.StateDictionary => Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu()),
            _ => throw new ArgumentOutOfRangeException(nameof(naming), naming, "Unknown safetensors naming."),
        };
        AtomicFile.Write(path, overwrite, stream => TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, state, leaveOpen: true));
    }

    /// <summary>The network's state dictionary as bytes (TorchSharp's format).</summary>
    internal static byte[] WeightsToBytes(nn.Module network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            network.save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Loads weights saved by <see cref="WeightsToBytes"/>, naming the file if they do not fit the network.</summary>
    internal static void WeightsFromBytes(nn.Module network, byte[] weights, string path)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(weights));
            network.load(reader, strict: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"'{path}' holds weights of a different architecture: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();

    private void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != Architecture.Channels || images.shape[2] != Architecture.ImageSize || images.shape[3] != Architecture.ImageSize || images.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Images must be float32 [N, {Architecture.Channels}, {Architecture.ImageSize}, {Architecture.ImageSize}] for this model (PixelCodec.ToTensor makes them from bytes); got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }

    private Tensor Batched(Tensor input, Func<Tensor, Tensor> forward)
    {
        bool training = Network.training;
        Network.eval();
        try
        {
            using var noGrad = no_grad();
            // The per-batch slices, device copies and outputs die here; only the result leaves the scope.
            using var scope = NewDisposeScope();
            var parts = new List<Tensor>();
            for (long start = 0; start < input.shape[0]; start += InferenceBatch)
            {
                parts.Add(forward(input.narrow(0, start, Math.Min(InferenceBatch, input.shape[0] - start)).to(Device)));
            }

            return (parts.Count == 1 ? parts[0] : cat(parts, 0)).MoveToOuterDisposeScope();
        }
        finally
        {
            Network.train(training);
        }
    }
}
