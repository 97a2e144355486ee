using Deae.MLNet.Data;
using Deae.MLNet.Model;
using Deae.MLNet.Onnx;
using Deae.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Deae.MLNet.MLNet;

/// <summary>
/// Trains a DEAE (or a baseline) inside an ML.NET pipeline. Input: an image column — the
/// <c>ExtractPixels</c> vector (planar, 0–255, <c>Vector&lt;Single, C, H, W&gt;</c>) or an <c>MLImage</c> — and
/// attribute columns (text or key). Output: the full latent and one column per attribute holding its chunk.
/// </summary>
/// <remarks>
/// The fitted transformer runs the encoder through ML.NET's own <c>ApplyOnnxModel</c>, which stores the
/// model bytes inside the ML.NET zip: third-party transformers cannot write their own weights there
/// (ML.NET keeps its model-saving API internal), and ONNX is the supported route for networks.
/// </remarks>
public sealed class DeaeEstimator : IEstimator<DeaeTransformer>
{
    /// <summary>Options of <see cref="DeaeEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The image column: ExtractPixels output (planar, 0–255) or an MLImage column.</summary>
        public string ImageColumnName = "Pixels";

        /// <summary>The attribute columns (text or key), one latent chunk each, in latent order.</summary>
        public string[] AttributeColumnNames = [];

        /// <summary>The output column of the full latent.</summary>
        public string LatentColumnName = "Latent";

        /// <summary>Prefix of the per-attribute chunk columns: prefix + attribute column name.</summary>
        public string ChunkColumnPrefix = "Latent_";

        /// <summary>
        /// Model kind, architecture and every training option. The architecture's image size and channels
        /// are taken from the data; <see cref="DeaeTrainerOptions.Attributes"/> is set from <see cref="AttributeColumnNames"/>.
        /// With a <see cref="DeaeTrainerOptions.CheckpointPath"/>, a second <c>Fit</c> (a re-fit, cross-validation)
        /// refuses the file the first one wrote unless <see cref="DeaeTrainerOptions.OverwriteCheckpoint"/> is set.
        /// </summary>
        public DeaeTrainerOptions Trainer = new();

        /// <summary>
        /// Optional validation rows with the same columns as the training data (the same image column
        /// type and size, the same attribute columns). The objective is scored on them every
        /// <see cref="DeaeTrainerOptions.ValidateEvery"/> steps, reported through the ML.NET channel and kept
        /// in <see cref="DeaeModel.ValidationHistory"/> of <see cref="DeaeTransformer.Model"/>. Null for none.
        /// </summary>
        public IDataView? ValidationData;
    }

    private readonly MLContext _mlContext;
    private readonly Options _options;

    /// <summary>Creates the estimator from options.</summary>
    public DeaeEstimator(MLContext mlContext, Options options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        if (options.AttributeColumnNames is null || options.AttributeColumnNames.Length == 0)
        {
            throw new ArgumentException("AttributeColumnNames: at least one attribute column is needed.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.ImageColumnName) || string.IsNullOrWhiteSpace(options.LatentColumnName) || options.ChunkColumnPrefix is null
            || options.AttributeColumnNames.Any(string.IsNullOrWhiteSpace) || options.Trainer is null)
        {
            throw new ArgumentException("Options: ImageColumnName, LatentColumnName, every AttributeColumnNames entry and Trainer must be set (ChunkColumnPrefix may be empty, not null).", nameof(options));
        }

        CheckOutputNames(options);
        _mlContext = mlContext;
        _options = options;
    }

    /// <summary>Creates the estimator for the common case.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="imageColumnName">ExtractPixels vector or MLImage column.</param>
    /// <param name="attributeColumnNames">Attribute columns (text or key).</param>
    /// <param name="steps">Training steps.</param>
    /// <param name="kind">DEAE or a baseline.</param>
    public DeaeEstimator(MLContext mlContext, string imageColumnName, string[] attributeColumnNames, int steps = 2000, ModelKind kind = ModelKind.Deae)
        : this(mlContext, new Options
        {
            ImageColumnName = imageColumnName,
            AttributeColumnNames = attributeColumnNames,
            Trainer = new DeaeTrainerOptions { Steps = steps, Kind = kind },
        })
    {
    }

    /// <summary>Checks the input columns (naming any that is missing or mistyped) and adds the latent columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var image = inputSchema.FirstOrDefault(c => c.Name == _options.ImageColumnName);
        if (image.Name is null)
        {
            throw new ArgumentException($"Image column '{_options.ImageColumnName}' is not in the input (expected Vector<Single, C, H, W> from ExtractPixels, or an MLImage).");
        }

        bool isPixels = image.Kind == SchemaShape.Column.VectorKind.Vector && image.ItemType == NumberDataViewType.Single;
        if (!isPixels && image.ItemType is not ImageDataViewType)
        {
            throw new ArgumentException($"Image column '{_options.ImageColumnName}' is {image.ItemType} ({image.Kind}); expected Vector<Single, C, H, W> from ExtractPixels, or an MLImage.");
        }

        CheckImageSizeKnown(_options.ImageColumnName, image.ItemType, _options.Trainer.Architecture.ImageSize);

        foreach (string name in _options.AttributeColumnNames)
        {
            var column = inputSchema.FirstOrDefault(c => c.Name == name);
            if (column.Name is null)
            {
                throw new ArgumentException($"Attribute column '{name}' is not in the input.");
            }

            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || !(column.ItemType is TextDataViewType || column.IsKey))
            {
                throw new ArgumentException($"Attribute column '{name}' is {column.ItemType} ({column.Kind}); expected a scalar text or key column.");
            }
        }

        // SchemaShape's column constructor is internal to ML.NET, so the new columns' shapes come from
        // public estimators: every output is a Vector<Single>, as Concatenate of the pixel vector gives.
        var layout = _options.Trainer.Layout ?? LatentLayout.Equal(_options.AttributeColumnNames, _options.Trainer.Architecture.LatentDimension);
        var shape = inputSchema;
        string pixels = _options.ImageColumnName;
        if (!isPixels)
        {
            pixels = PixelsColumnFor(_options.ImageColumnName);
            shape = _mlContext.Transforms.ExtractPixels(pixels, _options.ImageColumnName).GetOutputSchema(shape);
        }

        foreach (string output in DeaeTransformer.OutputColumns(layout, _options.LatentColumnName, _options.ChunkColumnPrefix).Select(c => c.Name))
        {
            shape = _mlContext.Transforms.Concatenate(output, pixels).GetOutputSchema(shape);
        }

        return shape;
    }

    /// <summary>
    /// Reads the data once into a byte cache, trains (scoring <see cref="Options.ValidationData"/> when set),
    /// and returns the transformer.
    /// </summary>
    public DeaeTransformer Fit(IDataView input) => Fit(input, _options.ValidationData);

    /// <summary>
    /// Trains on <paramref name="trainData"/> and scores the objective on <paramref name="validationData"/>
    /// every <see cref="DeaeTrainerOptions.ValidateEvery"/> steps (as ML.NET's trainers that take validation data do).
    /// </summary>
    /// <param name="trainData">The training rows.</param>
    /// <param name="validationData">Validation rows with the same columns; null for none.</param>
    public DeaeTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        CheckInput(trainData.Schema, "Training data");
        if (validationData is not null)
        {
            CheckInput(validationData.Schema, "Validation data");
        }

        var channel = ((IChannelProvider)_mlContext).Start(nameof(DeaeEstimator));
        try
        {
            ITransformer? pixelsStep = null;
            string pixelsColumn = _options.ImageColumnName;
            var view = trainData;
            if (trainData.Schema[_options.ImageColumnName].Type is ImageDataViewType)
            {
                // MLImage input: extract planar 0-255 pixels first, with ML.NET's own (saveable) transform.
                pixelsColumn = PixelsColumnFor(_options.ImageColumnName);
                int channels = _options.Trainer.Architecture.Channels;
                pixelsStep = _mlContext.Transforms.ExtractPixels(pixelsColumn, _options.ImageColumnName, channels == 1 ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb).Fit(trainData);
                view = pixelsStep.Transform(trainData);
            }

            var data = DataViewReader.ReadImages(view, pixelsColumn, _options.AttributeColumnNames, _options.Trainer.Architecture.Channels);
            Info(channel, $"DEAE: {data.Count} images {data.Width}x{data.Height}x{data.Channels}; attributes {string.Join(", ", data.Attributes)}");
            ImageDataset? validation = null;
            if (validationData is not null)
            {
                var validationView = pixelsStep?.Transform(validationData) ?? validationData;
                validation = DataViewReader.ReadImages(validationView, pixelsColumn, _options.AttributeColumnNames, _options.Trainer.Architecture.Channels, "Validation data");
                Info(channel, $"DEAE: {validation.Count} validation images");
            }

            var trainer = CopyOf(_options.Trainer, data);
            // Synchronous: every report reaches the channel before it is closed.
            var progress = new SynchronousProgress<TrainingProgress>(p => Info(channel, $"DEAE step {p.Step}/{p.TotalSteps}: {Losses(p.Losses)}, gradient norm {p.GradientNorm:0.000}, {p.ImagesPerSecond:0} images/s" +
                (p.ValidationLosses is null ? string.Empty : $"; validation: {Losses(p.ValidationLosses)}")));
            var model = DeaeTrainer.Train(data, validation, trainer, progress);
            try
            {
                return DeaeTransformer.Create(_mlContext, model, _options.ImageColumnName, pixelsStep, pixelsColumn, view, _options.LatentColumnName, _options.ChunkColumnPrefix);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            channel.Dispose();
        }
    }

    /// <summary>The same checks as <see cref="GetOutputSchema"/>, on a concrete schema; <paramref name="role"/> names the data in errors.</summary>
    private void CheckInput(DataViewSchema schema, string role)
    {
        var image = schema.GetColumnOrNull(_options.ImageColumnName)
            ?? throw new ArgumentException($"{role}: image column '{_options.ImageColumnName}' is not in the input (expected Vector<Single, C, H, W> from ExtractPixels, or an MLImage).");
        if (image.Type is not ImageDataViewType && !(image.Type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single && vector.Size > 0))
        {
            throw new ArgumentException($"{role}: image column '{_options.ImageColumnName}' is {image.Type}; expected a fixed-size Vector<Single, C, H, W> from ExtractPixels, or an MLImage.");
        }

        CheckImageSizeKnown(_options.ImageColumnName, image.Type, _options.Trainer.Architecture.ImageSize, role);

        foreach (string name in _options.AttributeColumnNames)
        {
            var column = schema.GetColumnOrNull(name) ?? throw new ArgumentException($"{role}: attribute column '{name}' is not in the input.");
            if (column.Type is not (TextDataViewType or KeyDataViewType))
            {
                throw new ArgumentException($"{role}: attribute column '{name}' is {column.Type}; expected a scalar text or key column.");
            }
        }
    }

    /// <summary>
    /// The latent and chunk columns must differ from each other and from the image (and extracted-pixels)
    /// column: the encoder's ONNX graph defines each once, and a clash would only surface after training.
    /// </summary>
    private static void CheckOutputNames(Options options)
    {
        var attributes = options.Trainer.Layout?.Attributes ?? options.AttributeColumnNames;
        var outputs = attributes.Select(a => (Name: options.ChunkColumnPrefix + a, Option: $"ChunkColumnPrefix + '{a}'"))
            .Prepend((Name: options.LatentColumnName, Option: nameof(Options.LatentColumnName)));
        var taken = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [options.ImageColumnName] = nameof(Options.ImageColumnName),
            [PixelsColumnFor(options.ImageColumnName)] = $"the pixels extracted from {nameof(Options.ImageColumnName)}",
        };
        foreach (var (name, option) in outputs)
        {
            if (!taken.TryAdd(name, option))
            {
                throw new ArgumentException($"Output column '{name}' ({option}) is also {taken[name]}; give the latent and chunk columns names of their own.", nameof(options));
            }
        }
    }

    private static string Losses(IReadOnlyDictionary<string, float> losses) =>
        string.Join(" ", losses.Select(l => $"{l.Key}={l.Value:0.0000}"));

    private static void Info(IChannel channel, string message) =>
        channel.Info(MessageSensitivity.None, message);

    /// <summary>
    /// ML.NET's ExtractPixels needs images of a known size, which LoadImages alone does not state; without
    /// this check its error would name neither the cure nor the size.
    /// </summary>
    internal static void CheckImageSizeKnown(string column, DataViewType type, int size, string? role = null)
    {
        if (type is ImageDataViewType { Width: 0 } or ImageDataViewType { Height: 0 })
        {
            throw new ArgumentException($"{(role is null ? "Image" : role + ": image")} column '{column}' holds images of unknown size (LoadImages states none); append ResizeImages(\"{column}\", {size}, {size}) before the DEAE step so that every image is {size}x{size}.");
        }
    }

    /// <summary>The column that holds extracted pixels when the image column is an MLImage.</summary>
    private static string PixelsColumnFor(string imageColumn) => $"{imageColumn}_Pixels";

    /// <summary>The trainer options for this data: a copy, never the user's object.</summary>
    private DeaeTrainerOptions CopyOf(DeaeTrainerOptions source, ImageDataset data)
    {
        var copy = source.Clone();
        copy.Architecture.ImageSize = data.Width;
        copy.Architecture.Channels = data.Channels;
        copy.Attributes = _options.AttributeColumnNames;
        return copy;
    }
}
