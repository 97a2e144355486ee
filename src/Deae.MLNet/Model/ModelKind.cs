namespace Deae.MLNet.Model;

/// <summary>The models that share the architecture and the trainer.</summary>
public enum ModelKind
{
    /// <summary>DEAE: group-supervised swaps plus the regulariser that re-encodes decoded interpolations (λ_reg &gt; 0).</summary>
    Deae,

    /// <summary>GSL-AE: group-supervised swaps only (λ_reg = 0), the paper's baseline.</summary>
    GslAe,

    /// <summary>Plain autoencoder: reconstruction only.</summary>
    Autoencoder,

    /// <summary>β-VAE: reconstruction plus β × KL divergence to a unit Gaussian.</summary>
    BetaVae,
}
