using Deae.MLNet.Data;

namespace Deae.MLNet.Evaluation;

/// <summary>A set's labels for one attribute, as the evaluators that train classifiers on them read them.</summary>
internal static class AttributeValues
{
    /// <summary>Each image's value of <paramref name="attribute"/>; refuses a set without it, naming the set as <paramref name="which"/> (e.g. "test set").</summary>
    public static string[] Of(ImageDataset data, string attribute, string which)
    {
        int column = data.Attributes.ToList().FindIndex(a => a.Name == attribute);
        if (column < 0)
        {
            throw new ArgumentException($"The {which} has no attribute '{attribute}' (attributes: {string.Join(", ", data.Attributes.Select(a => a.Name))}).");
        }

        return Enumerable.Range(0, data.Count).Select(i => data.GetValue(i, column)).ToArray();
    }
}
