namespace StarNet.Training;

/// <summary>How training of one layer ended.</summary>
/// <param name="Layer">The layer, 1 = nearest the latent code.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="PlateauReached">True when the layer stopped because an epoch improved its MSE by less than the plateau tolerance.</param>
/// <param name="LayerMse">The layer's MSE after its last step.</param>
/// <param name="Seconds">Wall time spent on the layer, metrics included.</param>
public sealed record LayerTrainingSummary(int Layer, int Epochs, bool PlateauReached, double LayerMse, double Seconds);
