namespace Deae.MLNet.Data;

/// <summary>One generating attribute of a data set (e.g. background colour) and its ordered values.</summary>
public sealed class AttributeDefinition
{
    /// <summary>Creates an attribute with distinct, non-empty value names.</summary>
    /// <param name="name">The attribute's name, used as the manifest column name.</param>
    /// <param name="values">The attribute's values in a fixed order; a value's index is its label.</param>
    public AttributeDefinition(string name, IEnumerable<string> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        Name = name;
        Values = values.ToArray();
        if (Values.Count == 0)
        {
            throw new ArgumentException($"Attribute '{name}' has no values.", nameof(values));
        }

        var duplicate = Values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Attribute '{name}' lists the value '{duplicate.Key}' more than once.", nameof(values));
        }
    }

    /// <summary>The attribute's name (a manifest column).</summary>
    public string Name { get; }

    /// <summary>The attribute's values; a value's position is the label stored for it.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The label (index) of <paramref name="value"/>; throws naming the attribute if it is unknown.</summary>
    public int IndexOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (int i = 0; i < Values.Count; i++)
        {
            if (string.Equals(Values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{value}' is not a value of attribute '{Name}' (values: {string.Join(", ", Values)}).");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Values.Count} values)";
}
