namespace Deae.MLNet.Exploration;

/// <summary>Options of <see cref="Augmenter.Generate(Model.DeaeModel, Data.ImageDataset, AugmentationOptions)"/>.</summary>
public sealed class AugmentationOptions
{
    /// <summary>Images to make.</summary>
    public int Count = 1000;

    /// <summary>Seed of the picks and mixes.</summary>
    public int Seed = 1;

    /// <summary>Probability that an attribute's chunk is a random mix of two images' chunks with different values (a value between two seen ones); otherwise it is a seen value, recombined.</summary>
    public double Interpolation = 0.3;

    /// <summary>
    /// Attributes that are only recombined, never mixed: each new image shows one of their seen values, so
    /// their labels are exact (the label a downstream classifier learns, e.g. the letter). Empty: every
    /// attribute may be mixed.
    /// </summary>
    public string[] SeenValuesOnly = [];
}
