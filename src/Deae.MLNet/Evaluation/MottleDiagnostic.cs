using Deae.MLNet.Data;
using Deae.MLNet.Model;

namespace Deae.MLNet.Evaluation;

// SCRATCH, removed in the next commit (docs/results/fonts-2400-halfway-texture.md): does the Eq. 2 term see the
// mottled half-way backgrounds that fail validity? With DEAE_DIAG_MOTTLE set, `deae evaluate` prints, for the
// half-way background interpolations I = D(z_X with the background chunk half-way to z_Y's):
//   regI / regClean   the Eq. 2 term (mean L1 on the other chunks between E(image) and the intended code) for I
//                     and for I with its background flattened (faint blends of border colour and font colour -> border colour);
//   regIdeal / regIdealPlusMottle  the same for X's real image repainted half-way (BackgroundShift) and for that
//                     image plus I's mottle (I minus its flattened version);
//   mottleOthers / mottleBg  mean L1 between E(I) and E(flattened I) on the other chunks / the background chunk;
//   valid*            interpolation validity of each image set (sanity: flattening must make most of them valid).
internal static class MottleDiagnostic
{
    public static void Run(DeaeModel model, ImageDataset heldOut, LatentLayout layout, AttributeOracles oracles, float[][] codes, List<(int X, int Y)> pairs, List<float[]> halfway, byte[][] halfImages, int bgChunk)
    {
        int fc = heldOut.AttributeIndex(SwapEvaluator.FontColor), bg = heldOut.AttributeIndex(SwapEvaluator.Background);
        int w = heldOut.Width, h = heldOut.Height;
        var cleaned = new byte[pairs.Count][];
        var ideal = new byte[pairs.Count][];
        var noisy = new byte[pairs.Count][];
        var random = new Random(5);
        for (int n = 0; n < pairs.Count; n++)
        {
            var (x, y) = pairs[n];
            var font = NamedColor.Parse(heldOut.GetValue(x, fc), "f");
            var (r, g, b) = ColorOracle.BorderColor(halfImages[n], w, h);
            cleaned[n] = Clean(halfImages[n], font, new NamedColor("median", r, g, b));
            var from = NamedColor.Parse(heldOut.GetValue(x, bg), "b");
            var to = NamedColor.Parse(heldOut.GetValue(y, bg), "b");
            ideal[n] = BackgroundShift.Move(heldOut.GetPixels(x), font, from, to, 0.5);
            // The mottle of the decoded image (its difference from its cleaned version) added to the ideal image.
            noisy[n] = new byte[ideal[n].Length];
            for (int p = 0; p < ideal[n].Length; p++)
            {
                noisy[n][p] = (byte)Math.Clamp(ideal[n][p] + halfImages[n][p] - cleaned[n][p], 0, 255);
            }
        }

        var eI = model.Encode(halfImages);
        var eC = model.Encode(cleaned);
        var eJ = model.Encode(ideal);
        var eN = model.Encode(noisy);
        var range = layout.Range(bgChunk);
        var checksI = ModelEvaluator.CheckPairs(oracles, heldOut, layout, pairs, halfImages);
        var checksC = ModelEvaluator.CheckPairs(oracles, heldOut, layout, pairs, cleaned);
        var checksN = ModelEvaluator.CheckPairs(oracles, heldOut, layout, pairs, noisy);
        double Others(float[] a, float[] b) => L1(a, b, range, false);
        double Bg(float[] a, float[] b) => L1(a, b, range, true);
        var mottled = Enumerable.Range(0, pairs.Count).Where(n => !checksI[n].UniformBorder).ToArray();
        var all = Enumerable.Range(0, pairs.Count).ToArray();
        double spread = ModelEvaluator.MeanStandardDeviation(codes);
        foreach (var (name, set) in new[] { ("all", all), ("mottled", mottled) })
        {
            if (set.Length == 0) continue;
            double M(Func<int, double> f) => set.Average(f);
            Console.Error.WriteLine(
                $"DIAG {model.Kind} {name} n={set.Length} spread={spread:F3} " +
                $"validI={M(n => checksI[n].Valid ? 1 : 0):F3} validClean={M(n => checksC[n].Valid ? 1 : 0):F3} validIdealPlusMottle={M(n => checksN[n].Valid ? 1 : 0):F3} | " +
                $"regI={M(n => Others(eI[n], halfway[n])):F4} regClean={M(n => Others(eC[n], halfway[n])):F4} regIdeal={M(n => Others(eJ[n], halfway[n])):F4} regIdealPlusMottle={M(n => Others(eN[n], halfway[n])):F4} " +
                $"P(regClean<regI)={M(n => Others(eC[n], halfway[n]) < Others(eI[n], halfway[n]) ? 1 : 0):F3} | " +
                $"mottleOthers={M(n => Others(eI[n], eC[n])):F4} mottleBg={M(n => Bg(eI[n], eC[n])):F4} idealMottleBg={M(n => Bg(eJ[n], eN[n])):F4} idealMottleOthers={M(n => Others(eJ[n], eN[n])):F4} " +
                $"halfStepBg={M(n => 0.5 * Bg(codes[pairs[n].X], codes[pairs[n].Y])):F4} bgI={M(n => Bg(eI[n], halfway[n])):F4} bgClean={M(n => Bg(eC[n], halfway[n])):F4} bgIdeal={M(n => Bg(eJ[n], halfway[n])):F4}");
        }
    }

    private static double L1(float[] a, float[] b, Range range, bool inside)
    {
        var (start, length) = range.GetOffsetAndLength(a.Length);
        double sum = 0;
        int count = 0;
        for (int d = 0; d < a.Length; d++)
        {
            bool isIn = d >= start && d < start + length;
            if (isIn == inside)
            {
                sum += Math.Abs(a[d] - b[d]);
                count++;
            }
        }

        return sum / count;
    }

    // Each pixel as a blend of background and font; faint blends (the mottle) become pure background.
    private static byte[] Clean(byte[] rgb, NamedColor font, NamedColor background)
    {
        double[] from = [background.R, background.G, background.B];
        double[] glyph = [font.R, font.G, font.B];
        double[] axis = [.. glyph.Select((c, k) => c - from[k])];
        double length = Math.Max(1, (axis[0] * axis[0]) + (axis[1] * axis[1]) + (axis[2] * axis[2]));
        var result = new byte[rgb.Length];
        for (int p = 0; p < rgb.Length; p += 3)
        {
            double alpha = 0;
            for (int k = 0; k < 3; k++) alpha += (rgb[p + k] - from[k]) * axis[k];
            alpha = Math.Clamp(alpha / length, 0, 1);
            if (alpha < 0.3) alpha = 0;
            for (int k = 0; k < 3; k++) result[p + k] = (byte)Math.Round(Math.Clamp((alpha * glyph[k]) + ((1 - alpha) * from[k]), 0, 255));
        }

        return result;
    }
}
