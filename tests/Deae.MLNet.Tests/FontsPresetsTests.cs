using Deae.MLNet.Data;
using Deae.MLNet.Data.Fonts;

namespace Deae.MLNet.Tests;

public class FontsPresetsTests
{
    private static int Distinct(FontsPresets.Part part, Func<FontsSample, object> key) => part.Samples.Select(key).Distinct().Count();

    private static int FontsAvailable(int cap) => Math.Min(cap, FontCatalog.Discover(null, FontsOptions.AllLetters).Count);

    [Fact]
    public void Table1HasThePapersStructure()
    {
        var parts = FontsPresets.Build(FontsPresets.Table1).ToDictionary(p => p.Name);
        int fonts = FontsAvailable(10);
        var large = parts["D_L"];
        Assert.Equal((10, 3, 6, 3, fonts), (Distinct(large, s => s.Letter), Distinct(large, s => s.Size), Distinct(large, s => s.FontColor), Distinct(large, s => s.BackgroundColor), Distinct(large, s => s.Font)));
        Assert.Equal(10 * 3 * 6 * 3 * fonts, large.Samples.Count); // 5400 with 10 fonts, as in the paper

        var small = parts["D_S"];
        Assert.Equal((10, 2, 3, 3, Math.Min(3, fonts)), (Distinct(small, s => s.Letter), Distinct(small, s => s.Size), Distinct(small, s => s.FontColor), Distinct(small, s => s.BackgroundColor), Distinct(small, s => s.Font)));
        Assert.Equal(10 * 2 * 3 * 3 * Math.Min(3, fonts), small.Samples.Count); // 540 in the paper
        Assert.All(small.Samples, s => Assert.Contains(s, large.Samples));

        var test = parts["D_test"];
        Assert.Equal((10, 3, 6, 3, fonts), (Distinct(test, s => s.Letter), Distinct(test, s => s.Size), Distinct(test, s => s.FontColor), Distinct(test, s => s.BackgroundColor), Distinct(test, s => s.Font)));
        Assert.Empty(test.Samples.Select(s => s.BackgroundColor).Intersect(large.Samples.Select(s => s.BackgroundColor)));
    }

    [Fact]
    public void Table2GroupsAreBiasedAndTheTestSetIsDisjoint()
    {
        var parts = FontsPresets.Build(FontsPresets.Table2Bias, maxFonts: 2).ToDictionary(p => p.Name);
        int Letters(string p) => Distinct(parts[p], s => s.Letter);
        int Backgrounds(string p) => Distinct(parts[p], s => s.BackgroundColor);
        Assert.Equal((15, 1), (Letters("G1"), Backgrounds("G1")));
        Assert.Equal((15, 3), (Letters("G2"), Backgrounds("G2")));
        Assert.Equal((22, 6), (Letters("G3"), Backgrounds("G3")));
        Assert.Equal((52, 6), (Letters("D_UB"), Backgrounds("D_UB")));
        Assert.Equal((52, 6), (Letters("D_T"), Backgrounds("D_T")));
        Assert.Empty(parts["G1"].Samples.Select(s => s.Letter).Intersect(parts["G2"].Samples.Select(s => s.Letter)));
        Assert.Empty(parts["D_T"].Samples.Intersect(parts["D_UB"].Samples));
        Assert.Equal(parts["G1"].Samples.Concat(parts["G2"].Samples).Concat(parts["G3"].Samples), parts["D_B"].Samples);
        Assert.All(parts["G1"].Samples.Concat(parts["G2"].Samples).Concat(parts["G3"].Samples), s => Assert.Contains(s, parts["D_UB"].Samples));
        Assert.Equal(6, Distinct(parts["D_UB"], s => s.FontColor));
    }

    [Fact]
    public void Section32TestColoursWereNeverSeenInTraining()
    {
        var parts = FontsPresets.Build(FontsPresets.Section32Colors, maxFonts: 1).ToDictionary(p => p.Name);
        var seen = parts["train"].Samples.SelectMany(s => new[] { s.FontColor, s.BackgroundColor }).ToHashSet();
        Assert.All(parts["unseen"].Samples, s => Assert.DoesNotContain(s.FontColor, seen));
        Assert.All(parts["unseen"].Samples, s => Assert.DoesNotContain(s.BackgroundColor, seen));
        Assert.Equal(52 * 3 * 30, parts["train"].Samples.Count);
    }

    [Fact]
    public void UnknownPresetIsNamed()
    {
        var error = Assert.Throws<OptionException>(() => FontsPresets.Build("table9"));
        Assert.Contains("--preset", error.Message);
        Assert.Contains("table9", error.Message);
    }
}
