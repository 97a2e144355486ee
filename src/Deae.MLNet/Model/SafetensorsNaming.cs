namespace Deae.MLNet.Model;

/// <summary>How <see cref="DeaeModel.ExportSafetensors(string, bool, SafetensorsNaming)"/> names the weights.</summary>
public enum SafetensorsNaming
{
    /// <summary>
    /// The reference PyTorch class's state-dict keys (GSL's <c>Generator_fc</c>, or
    /// <c>Generator_fc_dsprites</c> for logit outputs), with every alias of a shared layer, so a PyTorch
    /// user loads the file with <c>model.load_state_dict(load_file(path))</c>. Instance-norm running
    /// statistics, which the reference tracks but never uses in training mode, are written as 0 and 1.
    /// </summary>
    Reference,

    /// <summary>This project's own state-dict keys (e.g. <c>encoder.features.stem.weight</c>), once each.</summary>
    StateDictionary,
}
