namespace Deae.MLNet.Evaluation;

/// <summary>
/// Disentanglement scores published for a model on the real dSprites, to set beside ours on the dSprites-like
/// set. Null where the source reports no value. The numbers come from other evaluators on the full 64×64
/// dSprites with unsupervised training, so they frame ours rather than compete with them (evaluators are
/// known to disagree by large factors on the same model; docs/evaluation.md).
/// </summary>
/// <param name="Model">The published model.</param>
/// <param name="Mig">Mutual information gap.</param>
/// <param name="Sap">SAP score.</param>
/// <param name="DciDisentanglement">DCI disentanglement.</param>
/// <param name="FactorVae">FactorVAE score.</param>
/// <param name="Source">Where the numbers come from.</param>
public sealed record PublishedScores(string Model, double? Mig, double? Sap, double? DciDisentanglement, double? FactorVae, string Source)
{
    /// <summary>The best reported values of unsupervised models on dSprites (InfoGAN-CR, Lin et al. 2020, Table 1).</summary>
    public static IReadOnlyList<PublishedScores> DSprites { get; } =
    [
        new("β-VAE", Mig: 0.21, Sap: 0.55, DciDisentanglement: 0.41, FactorVae: 0.63, "InfoGAN-CR Table 1"),
        new("β-TCVAE", Mig: 0.45, Sap: null, DciDisentanglement: null, FactorVae: null, "InfoGAN-CR Table 1"),
        new("FactorVAE", Mig: 0.15, Sap: null, DciDisentanglement: null, FactorVae: 0.82, "InfoGAN-CR Table 1"),
    ];
}
