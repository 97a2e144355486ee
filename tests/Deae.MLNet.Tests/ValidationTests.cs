using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;
using Deae.MLNet.MLNet;
using Deae.MLNet.Model;
using Deae.MLNet.Training;
using Microsoft.ML;

namespace Deae.MLNet.Tests;

public class ValidationTests
{
    [Theory]
    [InlineData(ModelKind.Deae, "reg", RegulariserGradient.EncoderAndDecoder)]
    [InlineData(ModelKind.Deae, "reg", RegulariserGradient.DecoderOnly)]
    [InlineData(ModelKind.Deae, "reg", RegulariserGradient.EncoderOnly)]
    [InlineData(ModelKind.BetaVae, "kl", RegulariserGradient.EncoderAndDecoder)]
    public void ValidationIsScoredOnScheduleAndNeverChangesTheRun(ModelKind kind, string term, RegulariserGradient route)
    {
        var (train, validation) = TrainerTests.Tiny().Split(0.25, seed: 3);
        DeaeTrainerOptions Options()
        {
            var options = TrainerTests.TinyOptions(6, kind);
            options.RegulariserGradient = route;
            return options;
        }

        var options = Options();
        options.ValidateEvery = 4;
        options.ValidationGroups = 5; // not a multiple of GroupsPerBatch: the last batch is partial
        var reports = new List<TrainingProgress>();
        using var validated = DeaeTrainer.Train(train, validation, options, new SynchronousProgress<TrainingProgress>(reports.Add));
        using var plain = DeaeTrainer.Train(train, Options());

        // Every 4 steps and after the last one; the same numbers in the report and in the history.
        Assert.Equal([4, 6], validated.ValidationHistory.Select(v => v.Step));
        Assert.Equal([4, 6], reports.Where(r => r.ValidationLosses is not null).Select(r => r.Step));
        Assert.Equal(validated.ValidationHistory[^1].Losses, reports[^1].ValidationLosses);
        Assert.Contains(term, validated.ValidationHistory[0].Losses.Keys);
        Assert.All(validated.ValidationHistory, v => Assert.True(float.IsFinite(v.Losses["total"]) && v.Losses["total"] > 0));

        // Scoring draws nothing from the run: the weights equal those of the run without validation.
        Assert.Equal(DeaeModel.WeightsToBytes(plain.Network), DeaeModel.WeightsToBytes(validated.Network));
        Assert.Empty(plain.ValidationHistory);

        // The same weights score the same (fixed images, replayed draws): a repeat run gives equal numbers.
        using var again = DeaeTrainer.Train(train, validation, options);
        Assert.Equal(validated.ValidationHistory[^1].Losses, again.ValidationHistory[^1].Losses);
    }

    [Fact]
    public void ValidationLossFallsAsTheModelLearns()
    {
        var (train, validation) = TrainerTests.Tiny().Split(0.25, seed: 3);
        var options = TrainerTests.TinyOptions(120);
        options.Threads = null;
        options.ValidateEvery = 10;
        using var model = DeaeTrainer.Train(train, validation, options);
        float first = model.ValidationHistory[0].Losses["recon"], last = model.ValidationHistory[^1].Losses["recon"];
        Assert.True(last < first * 0.6f, $"held-out reconstruction went from {first} at step 10 to {last} at step 120");
    }

    [Fact]
    public void BadValidationDataIsNamed()
    {
        var data = TrainerTests.Tiny();
        var options = TrainerTests.TinyOptions(1);

        var larger = FontsGenerator.Generate(new FontsOptions { Letters = "AB", Sizes = ["large"], FontColors = ["red"], BackgroundColors = ["silver", "cyan"], MaxFonts = 1, ImageSize = 24 });
        var size = Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, larger, options)).Message;
        Assert.Contains("Validation data", size);
        Assert.Contains("24x24", size);

        var oneImage = data.Subset([0]);
        var single = Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, oneImage, options)).Message;
        Assert.Contains("Validation data", single);
        Assert.Contains("at least two images", single);

        options.ValidateEvery = -1;
        Assert.Contains("ValidateEvery", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(data, data, options)).Message);
    }

    [Fact]
    public void AValidationSplitThatLacksAValueTheTrainingDataHasIsStillScored()
    {
        // Training refuses an attribute with one value (nothing to learn); a small held-out split may
        // simply not contain every value, and its objective is still defined.
        var data = TrainerTests.Tiny();
        int background = data.AttributeIndex("background_color");
        var oneColour = data.Subset(Enumerable.Range(0, data.Count).Where(i => data.GetValue(i, background) == "silver").ToList());
        var options = TrainerTests.TinyOptions(2);
        options.ValidateEvery = 1;
        using var model = DeaeTrainer.Train(data, oneColour, options);
        Assert.Equal([1, 2], model.ValidationHistory.Select(v => v.Step));
        Assert.All(model.ValidationHistory, v => Assert.True(float.IsFinite(v.Losses["total"]) && v.Losses["swap"] > 0));
        Assert.Contains("'background_color'", Assert.Throws<ArgumentException>(() => DeaeTrainer.Train(oneColour, options)).Message);
    }

    [Fact]
    public void TheEstimatorScoresValidationRowsAndNamesTheirBadColumns()
    {
        using var temp = new TempFolder();
        var (ml, pixels, _) = DeaeEstimatorTests.LoadTiny(temp);
        var split = ml.Data.TrainTestSplit(pixels, testFraction: 0.25, seed: 1);

        var options = DeaeEstimatorTests.TinyOptions(4);
        options.Trainer.ValidateEvery = 2;
        options.ValidationData = split.TestSet;
        using var transformer = new DeaeEstimator(ml, options).Fit(split.TrainSet);
        Assert.Equal([2, 4], transformer.Model.ValidationHistory.Select(v => v.Step));
        Assert.Null(options.Trainer.Attributes); // the caller's options are not touched

        var withoutFont = ml.Transforms.DropColumns("font").Fit(split.TestSet).Transform(split.TestSet);
        var estimator = new DeaeEstimator(ml, DeaeEstimatorTests.TinyOptions(1));
        var message = Assert.Throws<ArgumentException>(() => estimator.Fit(split.TrainSet, withoutFont)).Message;
        Assert.Contains("Validation data", message);
        Assert.Contains("'font'", message);
    }
}
