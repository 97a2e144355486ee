namespace Deae.MLNet.Model;

/// <summary>What the decoder's last layer produces.</summary>
public enum DecoderOutput
{
    /// <summary>Pixels in [-1, 1] through tanh (colour images; the reference network).</summary>
    Tanh,

    /// <summary>Logits of binary pixels, trained with binary cross-entropy (dSprites-like images).</summary>
    Logits,
}

/// <summary>
/// The shape of the encoder and decoder: the reference GSL network, parameterised by image size,
/// channels, widths and latent size. <see cref="Reference128"/> is the reference network layer for
/// layer; smaller images use fewer downsampling stages and narrower layers so CPU training is practical.
/// </summary>
public sealed class DeaeArchitecture
{
    /// <summary>Side of the square input images (a power of two, 16–512).</summary>
    public int ImageSize = 32;

    /// <summary>Image channels: 3 (RGB) or 1 (grey).</summary>
    public int Channels = 3;

    // The defaults are the CPU network measured in docs/training.md: at 32×32 it meets the demo
    // quality bar within 10 minutes on 2 cores, where the reference scaled down (w 32, hidden 1024,
    // z 100) is 3.5× slower per step and still draws blobs after 400 steps.

    /// <summary>Channels of the first convolution; deeper stages use 2× and then 4× this.</summary>
    public int BaseWidth = 16;

    /// <summary>Width of the hidden fully connected layer between the feature map and the latent.</summary>
    public int HiddenSize = 256;

    /// <summary>Latent dimension z (must equal the latent layout's total).</summary>
    public int LatentDimension = 20;

    /// <summary>Stride-2 stages; null for log2(ImageSize / 8), which ends on an 8×8 feature map as the reference does.</summary>
    public int? DownsamplingStages;

    /// <summary>Residual blocks at the bottleneck of the encoder and of the decoder.</summary>
    public int ResidualBlocks = 1;

    /// <summary>What the decoder outputs: tanh pixels or binary logits.</summary>
    public DecoderOutput Output = DecoderOutput.Tanh;

    /// <summary>The reference network: 3×128×128, width 64, hidden 4096, z = 100 (about 134M parameters in its linear layers).</summary>
    public static DeaeArchitecture Reference128() => new() { ImageSize = 128, Channels = 3, BaseWidth = 64, HiddenSize = 4096, LatentDimension = 100 };

    /// <summary>The reference dSprites network: 1×64×64 down to 256×4×4, hidden 512, z = 10, logits out.</summary>
    public static DeaeArchitecture ReferenceSprites() => new() { ImageSize = 64, Channels = 1, BaseWidth = 64, HiddenSize = 512, LatentDimension = 10, DownsamplingStages = 4, Output = DecoderOutput.Logits };

    /// <summary>The number of stride-2 stages in use.</summary>
    public int Stages => DownsamplingStages ?? (int)Math.Round(Math.Log2(ImageSize / 8.0));

    /// <summary>Channels after the stem and after each stage: width × (1, 2, 4, 4, …).</summary>
    public int[] Widths() => Enumerable.Range(0, Stages + 1).Select(i => BaseWidth * Math.Min(1 << i, 4)).ToArray();

    /// <summary>Side of the bottleneck feature map.</summary>
    public int FeatureSize => ImageSize >> Stages;

    /// <summary>Number of values in the flattened bottleneck feature map.</summary>
    public int FeatureCount => Widths()[^1] * FeatureSize * FeatureSize;

    /// <summary>Throws, naming the field, if the architecture cannot be built.</summary>
    public void Validate()
    {
        if (ImageSize < 16 || ImageSize > 512 || (ImageSize & (ImageSize - 1)) != 0)
        {
            throw new ArgumentException($"ImageSize {ImageSize} must be a power of two between 16 and 512.");
        }

        if (Channels is not (1 or 3))
        {
            throw new ArgumentException($"Channels {Channels} must be 1 or 3.");
        }

        if (BaseWidth <= 0 || HiddenSize <= 0 || LatentDimension <= 0 || ResidualBlocks < 0)
        {
            throw new ArgumentException($"BaseWidth ({BaseWidth}), HiddenSize ({HiddenSize}) and LatentDimension ({LatentDimension}) must be positive and ResidualBlocks ({ResidualBlocks}) not negative.");
        }

        if (Stages < 1 || Stages > 8 || (ImageSize >> Stages) < 2 || (ImageSize >> Stages) << Stages != ImageSize)
        {
            throw new ArgumentException($"DownsamplingStages {Stages} does not suit ImageSize {ImageSize}: the feature map must stay at least 2×2.");
        }
    }

    /// <summary>A copy, so that options read by a trainer are never mutated.</summary>
    public DeaeArchitecture Clone() => (DeaeArchitecture)MemberwiseClone();

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Channels}x{ImageSize}x{ImageSize}, widths {string.Join("/", Widths())}, {FeatureSize}x{FeatureSize} features, hidden {HiddenSize}, z {LatentDimension}, {ResidualBlocks} residual block(s), {Output}";
}
