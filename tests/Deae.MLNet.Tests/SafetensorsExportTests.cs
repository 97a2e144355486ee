using System.Buffers.Binary;
using System.Text.Json;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class SafetensorsExportTests
{
    [Fact]
    public void ExportedFileHoldsEveryWeightUnderItsStateDictName()
    {
        using var temp = new TempFolder();
        using var model = DeaeTrainer.Train(TrainerTests.Tiny(), TrainerTests.TinyOptions(1));
        string path = temp.Combine("tiny.safetensors");
        model.ExportSafetensors(path, overwrite: false);
        Assert.Throws<IOException>(() => model.ExportSafetensors(path, overwrite: false));

        // Read it the way any safetensors reader does: u64 header length, JSON header, raw little-endian data.
        byte[] file = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        int dataStart = 8 + (int)headerLength;
        var state = model.Network.state_dict();
        var entries = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(state.Keys.Order(), entries.Keys.Order());
        Assert.Contains("encoder.features.stem.weight", entries.Keys);
        Assert.Contains("decoder.fc1.weight", entries.Keys);
        foreach (var (name, tensor) in state)
        {
            var entry = entries[name];
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(tensor.shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt32()).ToArray();
            var stored = new float[(offsets[1] - offsets[0]) / 4];
            Buffer.BlockCopy(file, dataStart + offsets[0], stored, 0, offsets[1] - offsets[0]);
            Assert.Equal(tensor.contiguous().data<float>().ToArray(), stored);
        }
    }
}
