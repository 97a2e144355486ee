using Microsoft.ML.Data;
using Microsoft.ML;
using Deae.MLNet.Evaluation;
using Deae.MLNet.Exploration;
using Deae.MLNet.Model;
using Deae.MLNet.Training;

namespace Deae.MLNet.Tests;

public class LatentDirectionsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static float Noise(Random random) => (float)(random.NextDouble() - 0.5) * 0.6f;

    /// <summary>Three values clustered around the first three axes of a 4-d chunk, with noise.</summary>
    private static (List<float[]> Vectors, List<string> Labels) Clusters(int perValue = 40)
    {
        var random = new Random(4);
        var vectors = new List<float[]>();
        var labels = new List<string>();
        foreach (var (value, axis) in new[] { ("a", 0), ("b", 1), ("c", 2) })
        {
            for (int i = 0; i < perValue; i++)
            {
                var v = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() - 0.5) * 0.6f).ToArray();
                v[axis] += 3;
                vectors.Add(v);
                labels.Add(value);
            }
        }

        return (vectors, labels);
    }

    private static float Cosine(float[] a, float[] b) => LatentDirections.Dot(a, b) / MathF.Sqrt(LatentDirections.Dot(a, a) * LatentDirections.Dot(b, b));

    [Theory]
    [InlineData(null)]
    [InlineData(0.2)]
    public void UnitDirectionsPointFromTheRestTowardsEachValue(double? quantile)
    {
        var (vectors, labels) = Clusters();
        var udvs = LatentDirections.FitUnitDirections(vectors, labels, "colour", new UnitDirectionOptions { ScoreQuantile = quantile });
        var means = LatentDirections.ValueMeans(vectors, labels, "colour");
        Assert.Equal(["a", "b", "c"], udvs.Keys.Order());
        foreach (var (value, udv) in udvs)
        {
            Assert.Equal(1f, MathF.Sqrt(LatentDirections.Dot(udv, udv)), 3);
            var others = means.Where(m => m.Key != value).Select(m => m.Value).ToList();
            var towards = means[value].Select((x, d) => x - others.Average(o => o[d])).ToArray();
            Assert.True(Cosine(udv, towards) > 0.8f, $"UDV of {value} has cosine {Cosine(udv, towards)} with the direction to its cluster");

            // Projected on its UDV, every latent of the value lies beyond every other latent.
            float lowestOwn = vectors.Where((_, i) => labels[i] == value).Min(v => LatentDirections.Dot(v, udv));
            float highestOther = vectors.Where((_, i) => labels[i] != value).Max(v => LatentDirections.Dot(v, udv));
            Assert.True(lowestOwn > highestOther, $"UDV of {value} does not separate it ({lowestOwn} <= {highestOther})");
        }
    }

    [Fact]
    public void TheScoreQuantileRefitsOnTheMostExtremeLatentsAndIsCheckedBeforeAnyFit()
    {
        // Two values apart along x, and 20 images labelled "b" that sit among the a's, a little up the y axis
        // (label noise). They tilt the SVM fitted on every latent, which cannot put them on b's side; they score
        // as the least confident b's, so keeping the most confidently scored 20 % of each side drops them and
        // the refitted direction is the true one (an ignored quantile, or one that kept the least confident
        // latents, would keep the tilt).
        var random = new Random(6);
        var points = new List<float[]>();
        var values = new List<string>();
        foreach (var (value, x, y, count) in new[] { ("a", 2f, 0f, 60), ("b", -2f, 0f, 60), ("b", 1.5f, 0.5f, 20) })
        {
            for (int i = 0; i < count; i++)
            {
                points.Add([x + Noise(random), y + Noise(random)]);
                values.Add(value);
            }
        }

        var tilted = LatentDirections.FitUnitDirections(points, values, "colour");
        var refitted = LatentDirections.FitUnitDirections(points, values, "colour", new UnitDirectionOptions { ScoreQuantile = 0.2 });
        float[] truth = [1f, 0f];
        output.WriteLine($"cosine with the true direction: all latents {Cosine(tilted["a"], truth)}, top 20 % {Cosine(refitted["a"], truth)}");
        Assert.True(Cosine(tilted["a"], truth) < 0.9f, $"the mislabelled latents should tilt the SVM fitted on all (cosine {Cosine(tilted["a"], truth)})");
        Assert.True(Cosine(refitted["a"], truth) > 0.98f, $"the refit on the top 20 % should not be tilted (cosine {Cosine(refitted["a"], truth)})");
        Assert.True(Cosine(refitted["b"], [-1f, 0f]) > 0.98f, $"value b's refit: cosine {Cosine(refitted["b"], [-1f, 0f])}");

        var (vectors, labels) = Clusters();

        foreach (double bad in new[] { 0.0, -0.1, 0.6, double.NaN })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => LatentDirections.FitUnitDirections(vectors, labels, "colour", new UnitDirectionOptions { ScoreQuantile = bad }));
            Assert.Contains("'colour': ScoreQuantile must be in (0, 0.5]", error.Message);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => LatentDirections.FitUnitDirections(vectors, labels, "colour", new UnitDirectionOptions { Iterations = 0 }));
    }

    [Fact]
    public void CentresAndClustersFindTheValues()
    {
        var (vectors, labels) = Clusters();
        var means = LatentDirections.ValueMeans(vectors, labels, "colour");
        Assert.InRange(means["b"][1], 2.8f, 3.2f);
        var clusters = LatentDirections.ClusterCentres(vectors, 3, "colour");
        Assert.Equal(3, clusters.Count);
        foreach (var mean in means.Values)
        {
            Assert.Contains(clusters, c => c.Select((x, d) => (x - mean[d]) * (x - mean[d])).Sum() < 0.1f);
        }
    }

    [Fact]
    public void ProjectingOutKeepsOtherScoresFixedAndCombinationsAreUnit()
    {
        var (vectors, labels) = Clusters();
        var udvs = LatentDirections.FitUnitDirections(vectors, labels, "colour");
        var conditional = LatentDirections.ProjectOut(udvs["a"], [udvs["b"]]);
        Assert.Equal(0f, LatentDirections.Dot(conditional, udvs["b"]), 4);
        Assert.Equal(1f, LatentDirections.Dot(conditional, conditional), 4);
        // In two dimensions, two independent fixed directions leave nothing to move along: an error, not a
        // normalised rounding residue.
        var error = Assert.Throws<ArgumentException>(() => LatentDirections.ProjectOut([0.6f, 0.8f], [[1f, 0.1f], [0.2f, 1f]]));
        Assert.Contains("span of the 2 independent direction(s)", error.Message);
        var mixed = LatentDirections.Combine([(udvs["b"], 1f), (udvs["c"], 1f), (udvs["a"], -1f)]);
        Assert.Equal(1f, LatentDirections.Dot(mixed, mixed), 4);
        Assert.True(LatentDirections.Dot(mixed, udvs["a"]) < 0);
    }

    [Fact]
    public void TooFewSamplesOrTooManyClustersAreNamed()
    {
        var (vectors, labels) = Clusters();
        labels[0] = "rare";
        var error = Assert.Throws<ArgumentException>(() => LatentDirections.FitUnitDirections(vectors, labels, "colour"));
        Assert.Contains("'colour'", error.Message);
        Assert.Contains("'rare'", error.Message);
        var tooMany = Assert.Throws<ArgumentException>(() => LatentDirections.ClusterCentres(vectors, 500, "colour")).Message;
        Assert.Contains("'colour'", tooMany);
        Assert.Contains("k = 500", tooMany);
        vectors[1] = null!;
        Assert.Contains("'colour': a vector is null", Assert.Throws<ArgumentException>(() => LatentDirections.ValueMeans(vectors, labels, "colour")).Message);
        Assert.Contains("'colour': a vector is null", Assert.Throws<ArgumentException>(() => LatentDirections.ClusterCentres(vectors, 2, "colour")).Message);
    }
}

public class LatentExplorerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void UnknownAttributesValuesAndTheCurrentValueAreNamed()
    {
        // Naming errors do not depend on learning: a 2-step model's explorer has every attribute and value.
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var explorer = LatentExplorer.Fit(model, data, ["background_color"]);
        var layout = model.Layout;
        int k = layout.IndexOf("background_color");
        var code = new float[layout.Dimension];
        explorer.Attributes["background_color"].Centres["cyan"].CopyTo(code, layout.Offset(k));

        Assert.Equal("cyan", explorer.NearestValue("background_color", code[layout.Range(k)]));
        Assert.Contains("already has value 'cyan'", Assert.Throws<ArgumentException>(() => explorer.MoveTowards(layout, code, "background_color", "cyan", 3)).Message);
        Assert.Contains("no value 'navy'", Assert.Throws<ArgumentException>(() => explorer.MoveTowards(layout, code, "background_color", "navy", 3)).Message);
        Assert.Contains("'navy'", Assert.Throws<ArgumentException>(() => explorer.JumpToCentre(layout, code, "background_color", "navy")).Message);
        Assert.Contains("no value 'navy'", Assert.Throws<ArgumentException>(() => explorer.Mine(layout, code, "background_color", [("silver", 1f), ("navy", 1f)], 3, 0.5f)).Message);
        var cancelling = Assert.Throws<ArgumentException>(() => explorer.Mine(layout, code, "background_color", [("silver", 1f), ("cyan", 0.5f), ("silver", -1f), ("cyan", -0.5f)], 3, 0.5f)).Message;
        Assert.Contains("Attribute 'background_color': the combination +1 silver +0.5 cyan -1 silver -0.5 cyan of unit directions is zero", cancelling);
        // A NaN or infinite weight would decode NaN codes; an empty combination has nowhere to go.
        Assert.Contains("Attribute 'background_color': the combination +1 silver NaN cyan of unit directions: the weight of 'cyan' is NaN", Assert.Throws<ArgumentException>(() => explorer.Mine(layout, code, "background_color", [("silver", 1f), ("cyan", float.NaN)], 3, 0.5f)).Message);
        Assert.Contains("the weight of 'silver' is Infinity", Assert.Throws<ArgumentException>(() => explorer.Mine(layout, code, "background_color", [("silver", float.PositiveInfinity)], 3, 0.5f)).Message);
        Assert.Contains("Attribute 'background_color': the combination of unit directions has no terms", Assert.Throws<ArgumentException>(() => explorer.Mine(layout, code, "background_color", [], 3, 0.5f)).Message);
        Assert.Contains("'background_color'", Assert.Throws<ArgumentOutOfRangeException>(() => explorer.Mine(layout, code, "background_color", [("silver", 1f)], 3, 0f)).Message);
        Assert.Contains("'background_color'", Assert.Throws<ArgumentOutOfRangeException>(() => explorer.Mine(layout, code, "background_color", [("silver", 1f)], 3, float.NaN)).Message);
        // Two dimensions per chunk: keeping purple's and orange's scores fixed leaves no direction to move in.
        var conditional = Assert.Throws<ArgumentException>(() => explorer.MoveTowards(layout, code, "background_color", "silver", 3, keepOtherValuesFixed: true)).Message;
        Assert.Contains("Attribute 'background_color': cannot move from 'cyan' towards 'silver' with", conditional);
        Assert.Contains("'purple'", conditional);
        Assert.Contains("'orange'", conditional);
        var unknown = Assert.Throws<ArgumentException>(() => explorer.JumpToCentre(layout, code, "font_color", "red")); // not fitted
        Assert.Contains("no attribute 'font_color'", unknown.Message);
        Assert.Contains("background_color", unknown.Message);

        // A valid request still works, and touches no other attribute's chunk.
        var path = explorer.MoveTowards(layout, code, "background_color", "silver", 3);
        Assert.Equal(3, path.Length);
        Assert.Equal(code, path[0]);
        Assert.Equal("silver", explorer.NearestValue("background_color", path[^1][layout.Range(k)])); // it arrives
        var chunk = layout.Mask(k);
        var others = Enumerable.Range(0, layout.Dimension).Where(d => chunk[d] == 0).ToList();
        Assert.All(path, point => Assert.All(others, d => Assert.Equal(0f, point[d])));
    }

    [Fact]
    public void ConditionalMovesKeepTheOtherValuesScoresAndMiningStepsAlongTheCombination()
    {
        var data = TrainerTests.Tiny();
        var options = TrainerTests.TinyOptions(2);
        options.Attributes = ["font_color", "background_color"]; // 5 dimensions each: room to keep two values fixed
        using var model = DeaeTrainer.Train(data, options);
        var explorer = LatentExplorer.Fit(model, data, ["background_color"]);
        var layout = model.Layout;
        var chunk = layout.Range(layout.IndexOf("background_color"));
        var space = explorer.Attributes["background_color"];
        var code = new float[layout.Dimension];
        space.Centres["cyan"].CopyTo(code, chunk.Start.Value);
        float Score(float[] point, string value) => LatentDirections.Dot(point[chunk], space.Directions[value]);

        // Moving from cyan to silver with the other values fixed: purple's and orange's scores never change;
        // without, at least one of them does.
        var fixedPath = explorer.MoveTowards(layout, code, "background_color", "silver", 4, keepOtherValuesFixed: true);
        var freePath = explorer.MoveTowards(layout, code, "background_color", "silver", 4);
        foreach (string other in new[] { "purple", "orange" })
        {
            Assert.All(fixedPath, point => Assert.Equal(Score(code, other), Score(point, other), 4));
        }

        Assert.Contains(new[] { "purple", "orange" }, other => Math.Abs(Score(freePath[^1], other) - Score(code, other)) > 1e-3);
        Assert.True(Score(fixedPath[^1], "silver") > Score(code, "silver"));

        // Mining silver + purple − orange: equal steps of the step size along the normalised combination, in the chunk only.
        var combined = LatentDirections.Combine([(space.Directions["silver"], 1f), (space.Directions["purple"], 1f), (space.Directions["orange"], -1f)]);
        var mined = explorer.Mine(layout, code, "background_color", [("silver", 1f), ("purple", 1f), ("orange", -1f)], 4, 0.5f);
        for (int s = 1; s < mined.Length; s++)
        {
            var step = mined[s].Select((v, d) => v - mined[s - 1][d]).ToArray();
            Assert.All(step[chunk].Zip(combined), p => Assert.Equal(0.5f * p.Second, p.First, 4));
            Assert.All(Enumerable.Range(0, layout.Dimension).Where(d => d < chunk.Start.Value || d >= chunk.End.Value), d => Assert.Equal(0f, step[d]));
        }
    }

    [Fact]
    public void OnTheFullLatentEditsMoveTheWholeCodeAndAnAttributeNeedsNoChunk()
    {
        var data = TrainerTests.Tiny();
        var options = TrainerTests.TinyOptions(2);
        options.Attributes = ["font_color", "background_color"]; // no letter chunk
        using var model = DeaeTrainer.Train(data, options);
        var layout = model.Layout;
        var explorer = LatentExplorer.Fit(model, data, new LatentExplorerOptions { Attributes = ["background_color", "letter"], FullLatent = true, Clusters = 3 });

        var space = explorer.Attributes["background_color"];
        Assert.True(space.FullLatent);
        Assert.All(space.Directions.Values.Concat(space.Centres.Values).Concat(space.Clusters), v => Assert.Equal(layout.Dimension, v.Length));
        Assert.Equal(3, space.Clusters.Count);
        Assert.Equal(["A", "B", "C", "D"], explorer.Attributes["letter"].Directions.Keys.Order());

        // The jump lands on the value's mean code, chunks and all; the move may change any chunk, and arrives.
        var code = space.Centres["cyan"].ToArray();
        Assert.Equal("cyan", explorer.NearestValue(layout, code, "background_color"));
        Assert.Equal(space.Centres["silver"], explorer.JumpToCentre(layout, code, "background_color", "silver"));
        var path = explorer.MoveTowards(layout, code, "background_color", "silver", 3);
        Assert.Equal("silver", explorer.NearestValue(layout, path[^1], "background_color"));
        var chunk = layout.Range(layout.IndexOf("background_color"));
        Assert.Contains(Enumerable.Range(0, layout.Dimension).Where(d => d < chunk.Start.Value || d >= chunk.End.Value), d => path[^1][d] != code[d]);

        // Saved and read back as full-latent spaces; on chunks, an attribute without one is refused by name.
        Assert.True(LatentExplorer.FromJson(explorer.ToJson(), "test").Attributes["letter"].FullLatent);
        var error = Assert.Throws<ArgumentException>(() => LatentExplorer.Fit(model, data, new LatentExplorerOptions { Attributes = ["letter"] }));
        Assert.Contains("no chunk for attribute 'letter'", error.Message);
    }

    [SlowFact]
    public void MovingTowardsAndJumpingToABackgroundChangesTheBackgroundAndKeepsTheFontColour()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.LearningOptions());
        var explorer = LatentExplorer.Fit(model, data, ["background_color", "font_color"]);
        model.Explorer = explorer;

        int bg = data.AttributeIndex("background_color"), fc = data.AttributeIndex("font_color");
        var picks = Enumerable.Range(0, data.Count).Where(i => data.GetValue(i, bg) != "silver" && data.GetValue(i, fc) != "silver").Take(40).ToList();
        var codes = model.Encode(picks.Select(i => data.GetPixels(i).ToArray()).ToList());
        var trajectories = codes.Select(c => explorer.MoveTowards(model.Layout, c, "background_color", "silver", 5)).ToList();
        var starts = model.Decode(trajectories.Select(t => t[0]).ToList());
        var moved = model.Decode(trajectories.Select(t => t[^1]).ToList());
        var jumped = model.Decode(codes.Select(c => explorer.JumpToCentre(model.Layout, c, "background_color", "silver")).ToList());
        double Rate(byte[][] images, Func<byte[], int, bool> ok) => images.Select((image, n) => ok(image, picks[n]) ? 1.0 : 0.0).Average();
        var silverColour = Data.NamedColor.Parse("silver", "test");
        int ToSilver(byte[] image)
        {
            var (r, g, b) = ColorOracle.BorderColor(image, 16, 16);
            return Data.NamedColor.DistanceSquared(silverColour, r, g, b);
        }

        // Moving along the UDV makes the background more silver (the paper's gradual edit); the jump lands on it.
        double movedBackground = Enumerable.Range(0, picks.Count).Average(n => ToSilver(moved[n]) < ToSilver(starts[n]) ? 1.0 : 0.0);
        double jumpedBackground = Rate(jumped, (image, _) => ColorOracle.Background(image, 16, 16).Name == "silver");
        double fontKept = Rate(jumped, (image, i) => ColorOracle.Font(image, 16, 16).Name == data.GetValue(i, fc));
        Assert.True(movedBackground >= 0.8, $"moving along the UDV brought the background closer to silver for {movedBackground:P0}");
        Assert.True(jumpedBackground >= 0.9, $"jumping to the centre gave silver for {jumpedBackground:P0}");
        Assert.True(fontKept >= 0.6, $"the font colour stayed for {fontKept:P0}");

        // The evaluator sees the same thing: a background swap changes the background and keeps the rest.
        var report = ModelEvaluator.Evaluate(model, data, AttributeOracles.Fit(data), pairs: 100);
        var background = report.Control.Single(c => c.Attribute == "background_color");
        output.WriteLine($"background: {background}; validity {report.InterpolationValidity}; {report.Disentanglement}");
        Assert.True(background.SwapTarget >= 0.8, $"background swaps reaching the donor's colour: {background.SwapTarget:P0}");
        // Three quarters of the way to the donor's chunk the background mostly reads as the donor's colour already,
        // and less often than a full swap does.
        Assert.True(background.InterpolationTarget >= 0.5 && background.InterpolationTarget <= background.SwapTarget + 0.05, $"three-quarter interpolations reaching the donor's colour: {background.InterpolationTarget:P0} (swaps {background.SwapTarget:P0})");
        // Every one of letter, size, font and font colour must read as before: by chance that is ~1.6 %
        // (1/4 · 1/2 · 1/2 · 1/4); the blurry 16×16 outputs after 600 steps reach about 24 %.
        Assert.True(background.SwapOthersKept >= 0.15, $"background swaps keeping every other attribute: {background.SwapOthersKept:P0}");
        Assert.True(report.Disentanglement.FactorVae > 0.5, $"FactorVAE {report.Disentanglement.FactorVae}");
        // The breakdown says which bystander a swap loses: each is kept at least as often as all of them
        // together, and the background swap never counts the background as a bystander.
        Assert.Equal(["font", "font_color", "letter", "size"], background.SwapKeptByAttribute.Keys.Order());
        Assert.All(background.SwapKeptByAttribute.Values, kept => Assert.True(kept >= background.SwapOthersKept));
        // Reconstructions (no edit) read right far more often than chance, e.g. the background colour nearly always.
        output.WriteLine($"reconstructions read right: {string.Join(", ", report.ReconstructionRead)}");
        Assert.True(report.ReconstructionRead["background_color"] >= 0.9, $"reconstructed backgrounds {report.ReconstructionRead["background_color"]:P0}");
        // The code scale the residuals are measured against is the codes' own spread.
        Assert.Equal(ModelEvaluator.MeanStandardDeviation(model.Encode(Enumerable.Range(0, data.Count).Select(i => data.GetPixels(i).ToArray()).ToArray())), report.CodeScale, 6);
        // A background chunk that swaps this well keeps the background colours far apart (no separation: about 0).
        output.WriteLine($"chunk separation: {string.Join(", ", report.ChunkSeparation)}");
        Assert.True(report.ChunkSeparation["background_color"] > 2, $"background chunk separation {report.ChunkSeparation["background_color"]}");
        // Per dimension: the background is held by its own chunk (the dimension sharing most with it lies there),
        // the rows follow the reported layout, and their modularities average to the modularity score.
        Assert.Equal(model.Layout, LatentLayout.Parse(report.Layout, null));
        int backgroundColumn = model.Layout.IndexOf("background_color");
        int richest = Enumerable.Range(0, model.Layout.Dimension).MaxBy(d => report.MutualInformation[d][backgroundColumn]);
        Assert.InRange(richest, model.Layout.Offset(backgroundColumn), model.Layout.Offset(backgroundColumn) + model.Layout.Sizes[backgroundColumn] - 1);
        Assert.Equal(report.Disentanglement.Modularity, report.ModularityByDimension.Average(), 12);

        // The explorer is saved and loaded with the model.
        using var temp = new TempFolder();
        model.Save(temp.Combine("m.deae"), overwrite: false);
        using var loaded = DeaeModel.Load(temp.Combine("m.deae"), "cpu");
        Assert.NotNull(loaded.Explorer);
        Assert.Equal(explorer.Attributes["background_color"].Directions["silver"], loaded.Explorer!.Attributes["background_color"].Directions["silver"]);

        // Bad requests name the attribute or value.
        var silver = codes[0].ToArray();
        silver = explorer.JumpToCentre(model.Layout, silver, "background_color", "silver");
        Assert.Contains("already has value 'silver'", Assert.Throws<ArgumentException>(() => explorer.MoveTowards(model.Layout, silver, "background_color", "silver", 3)).Message);
        Assert.Contains("'navy'", Assert.Throws<ArgumentException>(() => explorer.JumpToCentre(model.Layout, silver, "background_color", "navy")).Message);
        Assert.Contains("'shape'", Assert.Throws<ArgumentException>(() => explorer.JumpToCentre(model.Layout, silver, "shape", "x")).Message);
    }
}

public class AugmenterTests
{
    [Fact]
    public void AugmentedImagesCarryTheirProvenanceAndLoadIntoMLNet()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var (images, provenance) = Augmenter.Generate(model, data, 30, seed: 2, interpolation: 0.5);
        Assert.Equal(30, images.Count);
        Assert.All(provenance.SelectMany(p => p), p => Assert.Equal(1f, p.Sources.Sum(s => s.Weight), 4));
        Assert.Contains(provenance.SelectMany(p => p), p => p.Sources.Count == 2);
        for (int i = 0; i < images.Count; i++)
        {
            for (int k = 0; k < provenance[i].Count; k++)
            {
                Assert.Equal(provenance[i][k].Dominant, images.GetValue(i, images.AttributeIndex(provenance[i][k].Attribute)));
            }
        }

        var (recombined, seen) = Augmenter.Generate(model, data, 10, seed: 2, interpolation: 0);
        Assert.All(seen.SelectMany(p => p), p => Assert.Single(p.Sources));

        using var temp = new TempFolder();
        string manifest = Augmenter.Write(images, provenance, temp.Combine("augmented"), overwrite: false);
        Assert.Equal(31, File.ReadAllLines(Path.Combine(temp.Combine("augmented"), "provenance.csv")).Length);
        var ml = new Microsoft.ML.MLContext(1);
        var view = MLNet.ManifestLoader.Load(ml, manifest);
        Assert.Equal(30, view.GetColumn<ReadOnlyMemory<char>>("letter").Count());
        Assert.Equal(30, Data.DatasetReader.Read(manifest).Count);
    }

    [Fact]
    public void AttributesHeldToSeenValuesAreNeverMixedWhileTheOthersAre()
    {
        var data = TrainerTests.Tiny();
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var options = new AugmentationOptions { Count = 40, Seed = 5, Interpolation = 1, SeenValuesOnly = ["letter"] };
        var (_, provenance) = Augmenter.Generate(model, data, options);
        var byAttribute = provenance.SelectMany(p => p).ToLookup(p => p.Attribute);
        Assert.All(byAttribute["letter"], p => Assert.Single(p.Sources));
        Assert.All(byAttribute["letter"], p => Assert.Contains(p.Dominant, data.Attributes[data.AttributeIndex("letter")].Values));
        // With interpolation 1 every other attribute is a mix whenever the two picks differ: most of the time.
        Assert.True(byAttribute["background_color"].Count(p => p.Sources.Count == 2) > 20);

        // The same seed without the constraint mixes letters too, and an unknown attribute is named.
        var (_, free) = Augmenter.Generate(model, data, new AugmentationOptions { Count = 40, Seed = 5, Interpolation = 1 });
        Assert.Contains(free.SelectMany(p => p), p => p.Attribute == "letter" && p.Sources.Count == 2);
        var error = Assert.Throws<ArgumentException>(() => Augmenter.Generate(model, data, new AugmentationOptions { SeenValuesOnly = ["colour"] }));
        Assert.Contains("'colour'", error.Message);
    }

    [Fact]
    public void EachAugmentedImageIsTheDecodeOfTheChunksItsProvenanceNames()
    {
        // Two images that differ in every attribute: each recorded value then names the image its chunk came from.
        var data = TrainerTests.Tiny();
        var first = Enumerable.Range(0, data.Count).Select(i => Enumerable.Range(0, data.Attributes.Count).Select(a => data.GetValue(i, a)).ToArray()).ToList();
        int other = Enumerable.Range(1, data.Count - 1).First(j => first[j].Zip(first[0]).All(p => p.First != p.Second));
        var pair = data.Subset([0, other]);
        using var model = DeaeTrainer.Train(data, TrainerTests.TinyOptions(2));
        var codes = model.Encode([pair.GetPixels(0).ToArray(), pair.GetPixels(1).ToArray()]);

        var (images, provenance) = Augmenter.Generate(model, pair, 12, seed: 4, interpolation: 0);
        var expected = provenance.Select(sources =>
        {
            var code = new float[model.Layout.Dimension];
            for (int k = 0; k < model.Layout.Count; k++)
            {
                int from = sources[k].Dominant == pair.GetValue(0, pair.AttributeIndex(sources[k].Attribute)) ? 0 : 1;
                codes[from].AsSpan(model.Layout.Range(k)).CopyTo(code.AsSpan(model.Layout.Range(k)));
            }

            return code;
        }).ToList();
        var decoded = model.Decode(expected);
        for (int i = 0; i < images.Count; i++)
        {
            Assert.Equal(decoded[i], images.GetPixels(i).ToArray());
        }

        // Recombination happened: some image mixes chunks of both sources.
        Assert.Contains(provenance, sources => sources.Select(s => s.Dominant == pair.GetValue(0, pair.AttributeIndex(s.Attribute))).Distinct().Count() == 2);
    }
}
