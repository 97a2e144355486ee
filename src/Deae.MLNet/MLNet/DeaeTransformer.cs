using Deae.MLNet.Exploration;
using Deae.MLNet.Model;
using Deae.MLNet.Onnx;
using Deae.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Deae.MLNet.MLNet;

/// <summary>
/// The fitted DEAE in an ML.NET pipeline: adds the full latent and one chunk column per attribute. It
/// runs the encoder through ML.NET's <c>ApplyOnnxModel</c> (plus <c>ExtractPixels</c> for MLImage input), so
/// <c>mlContext.Model.Save</c> stores everything in the zip and <c>Model.Load</c> gives back a pipeline with
/// identical outputs in a fresh process; after loading, this step is ML.NET's own transformer chain.
/// <see cref="Model"/> gives code access to the network: encode, decode, swap, interpolate.
/// </summary>
public sealed class DeaeTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _inner;

    private readonly string _imageColumnName;

    private DeaeTransformer(ITransformer inner, DeaeModel model, string imageColumnName, string latentColumnName, string chunkColumnPrefix, byte[] encoderOnnx)
    {
        _inner = inner;
        _imageColumnName = imageColumnName;
        Model = model;
        LatentColumnName = latentColumnName;
        ChunkColumnPrefix = chunkColumnPrefix;
        EncoderOnnx = encoderOnnx;
    }

    /// <summary>The trained model (encoder, decoder, layout, attribute values).</summary>
    public DeaeModel Model { get; }

    /// <summary>The output column of the full latent.</summary>
    public string LatentColumnName { get; }

    /// <summary>Prefix of the per-attribute chunk columns.</summary>
    public string ChunkColumnPrefix { get; }

    /// <summary>The ONNX encoder the pipeline runs (batch 1, ML.NET column names as graph names).</summary>
    public byte[] EncoderOnnx { get; }

    /// <summary>The chunk column of <paramref name="attribute"/>; the error names the known attributes.</summary>
    public string ChunkColumnName(string attribute) => ChunkColumnPrefix + Model.Layout.Attributes[Model.Layout.IndexOf(attribute)];

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _inner.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _inner.GetOutputSchema(CheckInput(inputSchema));

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _inner.GetRowToRowMapper(CheckInput(inputSchema));

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return _inner.Transform(input);
    }

    /// <summary>Names the image column and the trained geometry when the input's pixels do not fit the model.</summary>
    private DataViewSchema CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var a = Model.Architecture;
        var column = schema.GetColumnOrNull(_imageColumnName)
            ?? throw new ArgumentException($"Image column '{_imageColumnName}' is not in the input.");
        if (column.Type is VectorDataViewType vector && vector.Size != a.Channels * a.ImageSize * a.ImageSize)
        {
            throw new ArgumentException($"Image column '{_imageColumnName}' has {vector.Size} values ({string.Join("x", vector.Dimensions.ToArray())}); the model was trained on {a.Channels}x{a.ImageSize}x{a.ImageSize} pixels. Resize the images (ResizeImages) or extract {a.Channels} channel(s).");
        }

        // An MLImage column states its size only after ResizeImages (0 x 0 otherwise), and ExtractPixels needs it;
        // once known, it must be the trained one.
        DeaeEstimator.CheckImageSizeKnown(_imageColumnName, column.Type, a.ImageSize);
        if (column.Type is ImageDataViewType image && (image.Width != a.ImageSize || image.Height != a.ImageSize))
        {
            throw new ArgumentException($"Image column '{_imageColumnName}' holds {image.Width}x{image.Height} images; the model was trained on {a.ImageSize}x{a.ImageSize}. Resize them (ResizeImages) first.");
        }

        return schema;
    }

    /// <summary>Saves the inner ML.NET transformers (which hold the ONNX bytes); loading gives them back.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _inner.Save(ctx);

    /// <inheritdoc/>
    public void Dispose()
    {
        (_inner as IDisposable)?.Dispose();
        Model.Dispose();
    }

    /// <summary>Latents of <see cref="MLImage"/>s of the trained size (batched).</summary>
    public float[][] Encode(IReadOnlyList<MLImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Model.Encode(images.Select(FromMLImage).ToList());
    }

    /// <summary>Each image with <paramref name="attribute"/>'s chunk taken from the matching donor, as <see cref="MLImage"/>s.</summary>
    public MLImage[] SwapAttribute(IReadOnlyList<MLImage> images, IReadOnlyList<MLImage> donors, string attribute)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(donors);
        return [.. SwapAttribute(images.Select(FromMLImage).ToList(), donors.Select(FromMLImage).ToList(), attribute).Select(ToMLImage)];
    }

    /// <summary>One of this model's byte images (from Decode, SwapAttribute, InterpolateAttribute) as an <see cref="MLImage"/>.</summary>
    public MLImage ToMLImage(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var a = Model.Architecture;
        return ImageConversion.ToMLImage(image, a.ImageSize, a.ImageSize, a.Channels);
    }

    /// <summary>One of this model's byte images as PNG bytes.</summary>
    public byte[] ToPng(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var a = Model.Architecture;
        return ImageConversion.ToPng(image, a.ImageSize, a.ImageSize, a.Channels);
    }

    private byte[] FromMLImage(MLImage image)
    {
        var a = Model.Architecture;
        return ImageConversion.FromMLImage(image, a.ImageSize, a.ImageSize, a.Channels);
    }

    /// <summary>Latents of interleaved byte images (batched).</summary>
    public float[][] Encode(IReadOnlyList<byte[]> images) => Model.Encode(images);

    /// <summary>Interleaved byte images decoded from latents (batched).</summary>
    public byte[][] Decode(IReadOnlyList<float[]> latents) => Model.Decode(latents);

    /// <summary>Each image with <paramref name="attribute"/>'s chunk taken from the matching donor, decoded.</summary>
    public byte[][] SwapAttribute(IReadOnlyList<byte[]> images, IReadOnlyList<byte[]> donors, string attribute) => Model.SwapAttribute(images, donors, attribute);

    /// <summary>
    /// <paramref name="steps"/> images moving <paramref name="attribute"/>'s chunk linearly from <paramref name="from"/>'s
    /// code to <paramref name="to"/>'s (both ends included), every other chunk kept from <paramref name="from"/>.
    /// </summary>
    public byte[][] InterpolateAttribute(byte[] from, byte[] to, string attribute, int steps)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var range = Model.Layout.Range(Model.Layout.IndexOf(attribute));
        var codes = Model.Encode([from, to]);
        var path = Enumerable.Range(0, steps).Select(s =>
        {
            float t = s / (float)(steps - 1);
            var code = (float[])codes[0].Clone();
            for (int d = range.Start.Value; d < range.End.Value; d++)
            {
                code[d] += t * (codes[1][d] - codes[0][d]);
            }

            return code;
        }).ToList();
        return Model.Decode(path);
    }

    /// <summary>
    /// <paramref name="count"/> images of <paramref name="from"/> whose <paramref name="attribute"/> is a random mix of
    /// its own and <paramref name="to"/>'s (<see cref="AttributeInterpolation.Random"/>), every other chunk kept from
    /// <paramref name="from"/>.
    /// </summary>
    /// <param name="from">The image to edit.</param>
    /// <param name="to">The image whose value of the attribute is mixed in.</param>
    /// <param name="attribute">The attribute to interpolate.</param>
    /// <param name="count">Images to draw.</param>
    /// <param name="mode">A uniform weight per dimension (the default, as the research code) or one per image.</param>
    /// <param name="seed">Seed of the weights.</param>
    public byte[][] InterpolateAttributeRandomly(byte[] from, byte[] to, string attribute, int count, InterpolationMode mode = InterpolationMode.PerDimensionUniform, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var codes = Model.Encode([from, to]);
        return Model.Decode(AttributeInterpolation.Random(Model.Layout, codes[0], codes[1], attribute, count, mode, seed));
    }

    /// <summary>The columns the transformer adds: the latent and each attribute's chunk.</summary>
    internal static DataViewSchema OutputColumns(LatentLayout layout, string latentColumnName, string chunkColumnPrefix)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(latentColumnName, new VectorDataViewType(NumberDataViewType.Single, layout.Dimension));
        for (int k = 0; k < layout.Count; k++)
        {
            builder.AddColumn(chunkColumnPrefix + layout.Attributes[k], new VectorDataViewType(NumberDataViewType.Single, layout.Sizes[k]));
        }

        return builder.ToSchema();
    }

    /// <summary>Builds the ML.NET steps for a trained model: [ExtractPixels] → ApplyOnnxModel(encoder).</summary>
    internal static DeaeTransformer Create(MLContext mlContext, DeaeModel model, string imageColumn, ITransformer? pixelsStep, string pixelsColumn, IDataView pixelsView, string latentColumnName, string chunkColumnPrefix)
    {
        byte[] onnx = OnnxExporter.Encoder(model, batchSize: 1, inputName: pixelsColumn, latentName: latentColumnName, chunkPrefix: chunkColumnPrefix);
        string[] outputs = [latentColumnName, .. model.Layout.Attributes.Select(a => chunkColumnPrefix + a)];
        var onnxStep = mlContext.Transforms.ApplyOnnxModel(outputs, [pixelsColumn], new MemoryStream(onnx)).Fit(pixelsView);
        ITransformer inner = pixelsStep is null ? onnxStep : new TransformerChain<ITransformer>(pixelsStep, onnxStep);
        return new DeaeTransformer(inner, model, imageColumn, latentColumnName, chunkColumnPrefix, onnx);
    }
}
