using System.Text.Json;
using System.Text.Json.Serialization;
using Deae.MLNet.Data;

namespace Deae.MLNet.Model;

/// <summary>
/// What a model file says about itself besides its weights: kind, architecture, latent layout, the
/// attributes' values and the pixel normalisation. Serialised as JSON inside the file.
/// </summary>
internal sealed class ModelHeader
{
    [JsonPropertyName("kind")]
    public ModelKind Kind { get; set; }

    [JsonPropertyName("image_size")]
    public int ImageSize { get; set; }

    [JsonPropertyName("channels")]
    public int Channels { get; set; }

    [JsonPropertyName("base_width")]
    public int BaseWidth { get; set; }

    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; set; }

    [JsonPropertyName("latent_dimension")]
    public int LatentDimension { get; set; }

    [JsonPropertyName("stages")]
    public int Stages { get; set; }

    [JsonPropertyName("residual_blocks")]
    public int ResidualBlocks { get; set; }

    [JsonPropertyName("output")]
    public DecoderOutput Output { get; set; }

    [JsonPropertyName("normalisation")]
    public string Normalisation { get; set; } = "";

    [JsonPropertyName("layout")]
    public string Layout { get; set; } = "";

    [JsonPropertyName("attributes")]
    public Dictionary<string, List<string>> Attributes { get; set; } = [];

    [JsonPropertyName("steps")]
    public int Steps { get; set; }

    private static readonly JsonSerializerOptions s_json = new() { Converters = { new JsonStringEnumConverter() } };

    public static ModelHeader From(DeaeModel model) => new()
    {
        Kind = model.Kind,
        ImageSize = model.Architecture.ImageSize,
        Channels = model.Architecture.Channels,
        BaseWidth = model.Architecture.BaseWidth,
        HiddenSize = model.Architecture.HiddenSize,
        LatentDimension = model.Architecture.LatentDimension,
        Stages = model.Architecture.Stages,
        ResidualBlocks = model.Architecture.ResidualBlocks,
        Output = model.Architecture.Output,
        Normalisation = model.Architecture.Output == DecoderOutput.Tanh ? "pixel/127.5-1" : "pixel/255",
        Layout = model.Layout.ToString(),
        Attributes = model.Attributes.ToDictionary(a => a.Name, a => a.Values.ToList()),
        Steps = model.TrainedSteps,
    };

    public DeaeArchitecture Architecture() => new()
    {
        ImageSize = ImageSize,
        Channels = Channels,
        BaseWidth = BaseWidth,
        HiddenSize = HiddenSize,
        LatentDimension = LatentDimension,
        DownsamplingStages = Stages,
        ResidualBlocks = ResidualBlocks,
        Output = Output,
    };

    public List<AttributeDefinition> AttributeDefinitions(LatentLayout layout) =>
        layout.Attributes.Select(a => new AttributeDefinition(a, Attributes.TryGetValue(a, out var values) ? values : throw new InvalidDataException($"The model header lists no values for attribute '{a}'."))).ToList();

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    public static ModelHeader FromBytes(byte[] bytes, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelHeader>(bytes, s_json) ?? throw new InvalidDataException($"'{path}' has an empty model header.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' has an unreadable model header: {ex.Message}", ex);
        }
    }
}
