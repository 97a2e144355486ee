using System.CommandLine;
using Deae.MLNet.Model;
using Deae.MLNet.Onnx;

namespace Deae.Cli.Commands;

/// <summary><c>deae export</c>: writes a model's encoder and decoder as ONNX (and its weights as safetensors).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file written by deae train or deae demo.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for encoder.onnx, decoder.onnx and weights.safetensors.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing files." };
        var naming = new Option<SafetensorsNaming>("--safetensors-names")
        {
            Description = "Reference: the keys of GSL's PyTorch class (Generator_fc), loadable with load_state_dict; StateDictionary: this project's own keys.",
            DefaultValueFactory = _ => SafetensorsNaming.Reference,
        };
        var command = new Command("export", "Export the encoder and decoder to ONNX (batch dimension N; pixels 0-255 in and out) and the weights to safetensors.") { model, output, overwrite, naming };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            bool replace = parse.GetValue(overwrite);
            string safetensors = Path.Combine(folder, "weights.safetensors");
            CliRunner.EnsureFileWritable(safetensors, replace);

            using var loaded = DeaeModel.Load(parse.GetValue(model)!, "cpu");
            var (encoder, decoder) = OnnxExporter.Export(loaded, folder, replace);
            loaded.ExportSafetensors(safetensors, replace, parse.GetValue(naming));
            Console.WriteLine($"encoder : {encoder} (input '{OnnxExporter.PixelsInput}' [N,{loaded.Architecture.Channels},{loaded.Architecture.ImageSize},{loaded.Architecture.ImageSize}] 0-255; outputs '{OnnxExporter.LatentName}' [N,{loaded.Layout.Dimension}] and {string.Join(", ", loaded.Layout.Attributes.Select(a => $"'{OnnxExporter.ChunkOutput(a)}'"))})");
            Console.WriteLine($"decoder : {decoder} (input '{OnnxExporter.LatentName}'; output '{OnnxExporter.PixelsOutput}' 0-255)");
            Console.WriteLine($"weights : {safetensors} ({parse.GetValue(naming)} names)");
            return 0;
        }));
        return command;
    }
}
