using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class ConvolutionalLabelClassifierTests
{
    [Fact]
    public void MlNetScoresProbabilitiesFromOutsideAsItScoresItsOwn()
    {
        string[] classes = ["a", "b", "c"];
        string[] labels = ["a", "b", "c", "a"];
        // Rows 0-2 are right with probability 0.8; row 3 ("a") is taken for "c".
        float[][] scores = [[0.8f, 0.1f, 0.1f], [0.1f, 0.8f, 0.1f], [0.1f, 0.1f, 0.8f], [0.2f, 0.1f, 0.7f]];
        var (metrics, predicted) = ConvolutionalLabelClassifier.Metrics(classes, scores, labels);
        Assert.Equal(["a", "b", "c", "c"], predicted);
        Assert.Equal(0.75, metrics.MicroAccuracy, 6);
        Assert.Equal((0.5 + 1 + 1) / 3, metrics.MacroAccuracy, 6);
        Assert.Equal(-((3 * Math.Log(0.8)) + Math.Log(0.2)) / 4, metrics.LogLoss, 5);
    }
}
