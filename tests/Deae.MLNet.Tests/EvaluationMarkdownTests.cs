using Deae.Cli.Commands;
using Deae.MLNet.Evaluation;

namespace Deae.MLNet.Tests;

public class EvaluationMarkdownTests
{
    [Fact]
    public void PublishedDSpritesScoresAreRowsOfTheComparisonTableForDSpritesLikeDataOnly()
    {
        var oracles = AttributeOracles.Fit(TrainerTests.Tiny());
        var lines = EvaluationMarkdown.Markdown([], [], oracles, train: 10, heldOut: 5, dSpritesLike: true).Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        // In the table itself (right under its header), one row per published model, "–" where nothing was published.
        int header = lines.FindIndex(l => l.StartsWith("| model | MIG | SAP | DCI-D |", StringComparison.Ordinal));
        Assert.True(header >= 0);
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(PublishedScores.DSprites.Count, rows.Count);
        Assert.StartsWith("| β-VAE (published: unsupervised, real dSprites, InfoGAN-CR Table 1) | 0.210 | 0.550 | 0.410 | – | – | – | 0.630 |", rows[0]);
        Assert.StartsWith("| β-TCVAE (published: unsupervised, real dSprites, InfoGAN-CR Table 1) | 0.450 | – | – |", rows[1]);
        Assert.All(rows, row => Assert.Equal(15, row.Count(c => c == '|')));

        // Beside the oracles' accuracy on real images, their accuracy over half-way background colours, which bounds the interpolation columns.
        var halfway = Assert.Single(lines, l => l.StartsWith("On the same images with the background repainted half-way", StringComparison.Ordinal));
        Assert.All(oracles.HalfwayBackgroundAccuracy.Keys, attribute => Assert.Contains($" {attribute} ", halfway, StringComparison.Ordinal));

        Assert.DoesNotContain("published", EvaluationMarkdown.Markdown([], [], oracles, 10, 5, dSpritesLike: false), StringComparison.Ordinal);
    }
}
