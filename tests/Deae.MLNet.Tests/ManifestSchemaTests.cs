using System.Text.Json;
using System.Text.Json.Nodes;
using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.Data.Sprites;
using Json.Schema;

namespace Deae.MLNet.Tests;

public class ManifestSchemaTests
{
    // Schemas register themselves by $id, so each is built once per test run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> s_schemas = new();

    private static JsonSchema Schema(string name) =>
        s_schemas.GetOrAdd(name, n => JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data-schemas", n))));

    private static List<JsonObject> Rows(string manifest)
    {
        var lines = File.ReadAllLines(manifest);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var row = new JsonObject();
            foreach (var (name, value) in header.Zip(line.Split(',')))
            {
                row[name] = value;
            }

            return row;
        }).ToList();
    }

    private static void AssertValid(JsonSchema schema, JsonNode node)
    {
        var result = schema.Evaluate(JsonDocument.Parse(node.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, node.ToJsonString());
    }

    private static bool IsValid(JsonSchema schema, JsonNode node) =>
        schema.Evaluate(JsonDocument.Parse(node.ToJsonString()).RootElement).IsValid;

    [Fact]
    public void FontsManifestAndDescriptionValidate()
    {
        using var temp = new TempFolder();
        string manifest = DatasetWriter.Write(FontsGenerator.Generate(FontsGeneratorTests.Small()), temp.Combine("fonts"), "fonts", overwrite: false);
        var rowSchema = Schema("fonts-manifest-row.schema.json");
        var rows = Rows(manifest);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => AssertValid(rowSchema, row));
        AssertValid(Schema("dataset.schema.json"), JsonNode.Parse(File.ReadAllText(temp.Combine("fonts", "dataset.json")))!);

        // The schema is not a rubber stamp: it rejects wrong values.
        var bad = rows[0].DeepClone().AsObject();
        bad["font_color"] = "magenta";
        Assert.False(IsValid(rowSchema, bad));
        bad = rows[0].DeepClone().AsObject();
        bad["image"] = "/etc/passwd.png";
        Assert.False(IsValid(rowSchema, bad));
    }

    [Fact]
    public void SpritesManifestValidates()
    {
        using var temp = new TempFolder();
        string manifest = DatasetWriter.Write(SpritesGenerator.Generate(new SpritesOptions { MaxImages = 40 }), temp.Combine("sprites"), "sprites", overwrite: false);
        var rowSchema = Schema("sprites-manifest-row.schema.json");
        Assert.All(Rows(manifest), row => AssertValid(rowSchema, row));
        AssertValid(Schema("dataset.schema.json"), JsonNode.Parse(File.ReadAllText(temp.Combine("sprites", "dataset.json")))!);
        var bad = Rows(manifest)[0];
        bad["shape"] = "triangle";
        Assert.False(IsValid(rowSchema, bad));
    }
}
