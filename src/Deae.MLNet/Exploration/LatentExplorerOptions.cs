namespace Deae.MLNet.Exploration;

/// <summary>Options of <see cref="LatentExplorer.Fit(Model.DeaeModel, Data.ImageDataset, LatentExplorerOptions)"/>.</summary>
public sealed class LatentExplorerOptions
{
    /// <summary>Attributes to fit; null for every chunk of the model's latent layout.</summary>
    public IReadOnlyList<string>? Attributes;

    /// <summary>Settings of the LinearSvm behind each unit direction vector.</summary>
    public UnitDirectionOptions Directions = new();

    /// <summary>KMeans k for every attribute; null for the number of values each attribute shows in the data.</summary>
    public int? Clusters;

    /// <summary>
    /// Fit UDVs, value centres and KMeans centres on the full latent code instead of the attribute's chunk
    /// (the "or the full latent"; InterFaceGAN's setting for entangled codes). Edits along such a
    /// direction may move every chunk, so other attributes are no longer untouched by construction; an attribute
    /// without a chunk of its own (but labelled in the data) can then be explored too. False (the default): chunks.
    /// </summary>
    public bool FullLatent;
}
