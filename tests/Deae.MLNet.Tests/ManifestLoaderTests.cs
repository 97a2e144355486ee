using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.Tests;

public class ManifestLoaderTests
{
    [Fact]
    public void ManifestFeedsLoadImagesResizeImagesExtractPixels()
    {
        using var temp = new TempFolder();
        var data = FontsGenerator.Generate(FontsGeneratorTests.Small());
        string manifest = DatasetWriter.Write(data, temp.Combine("set"), "fonts", overwrite: false);

        var ml = new MLContext(seed: 1);
        IDataView view = ManifestLoader.Load(ml, manifest);
        var pipeline = ml.Transforms.LoadImages("Image", ManifestLoader.ImageFolder(manifest), "image")
            .Append(ml.Transforms.ResizeImages("Image", 16, 16))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", interleavePixelColors: false));
        var transformed = pipeline.Fit(view).Transform(view);

        // ML.NET reuses a cursor's VBuffer between rows: copy each row's values out.
        var pixels = transformed.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray()).ToList();
        var backgrounds = transformed.GetColumn<ReadOnlyMemory<char>>("background_color").Select(v => v.ToString()).ToList();
        Assert.Equal(data.Count, pixels.Count);
        Assert.Equal(3 * 16 * 16, pixels[0].Length);
        Assert.Equal(data.Count, pixels.Select(p => string.Join(',', p)).Distinct().Count());
        Assert.Equal(16 * 16 * 3, ((VectorDataViewType)transformed.Schema["Pixels"].Type).Size);

        // Planar R, G, B: the top-left pixel is the row's named background colour.
        for (int i = 0; i < pixels.Count; i++)
        {
            var values = pixels[i];
            var background = NamedColor.Parse(backgrounds[i], "test");
            Assert.Equal((float)background.R, values[0], 1f);
            Assert.Equal((float)background.G, values[256], 1f);
            Assert.Equal((float)background.B, values[512], 1f);
        }
    }
}
