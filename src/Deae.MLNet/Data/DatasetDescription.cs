using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deae.MLNet.Data;

/// <summary>
/// The content of <c>dataset.json</c> (schema: <c>data-schemas/dataset.schema.json</c>): what a data
/// set folder holds, so that readers know every attribute's value order without scanning the manifest.
/// </summary>
public sealed class DatasetDescription
{
    /// <summary>The format's current version; readers refuse newer ones.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Format version of this file.</summary>
    [JsonPropertyName("version")]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>What generated the data set (e.g. fonts, sprites).</summary>
    [JsonPropertyName("generator")]
    public string Generator { get; set; } = "";

    /// <summary>Image width in pixels.</summary>
    [JsonPropertyName("width")]
    public int Width { get; set; }

    /// <summary>Image height in pixels.</summary>
    [JsonPropertyName("height")]
    public int Height { get; set; }

    /// <summary>Channels per pixel (1 or 3).</summary>
    [JsonPropertyName("channels")]
    public int Channels { get; set; }

    /// <summary>Number of images (manifest rows).</summary>
    [JsonPropertyName("count")]
    public int Count { get; set; }

    /// <summary>Every attribute with its values in label order.</summary>
    [JsonPropertyName("attributes")]
    public List<AttributeEntry> Attributes { get; set; } = [];

    /// <summary>One attribute of the description.</summary>
    public sealed class AttributeEntry
    {
        /// <summary>The attribute's name (a manifest column).</summary>
        [JsonPropertyName("name")]
        public string Name { get; set; } = "";

        /// <summary>The attribute's values in label order.</summary>
        [JsonPropertyName("values")]
        public List<string> Values { get; set; } = [];
    }

    internal static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>Reads a description file, naming the file in any error.</summary>
    public static DatasetDescription Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        DatasetDescription? description;
        try
        {
            description = JsonSerializer.Deserialize<DatasetDescription>(File.ReadAllText(path), s_json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not a valid data set description: {ex.Message}", ex);
        }

        if (description is null || description.Attributes.Count == 0)
        {
            throw new InvalidDataException($"'{path}' describes no attributes.");
        }

        if (description.Version > CurrentVersion)
        {
            throw new InvalidDataException($"'{path}' has format version {description.Version}; this library reads up to {CurrentVersion}.");
        }

        return description;
    }
}
