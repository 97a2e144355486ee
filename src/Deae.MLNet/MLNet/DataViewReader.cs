using Deae.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.MLNet;

/// <summary>Reads an IDataView's pixel and attribute columns once into an <see cref="ImageDataset"/> of bytes.</summary>
internal static class DataViewReader
{
    /// <summary>
    /// Reads planar 0–255 pixels (ExtractPixels' layout) and text or key attribute columns. The image
    /// geometry comes from the column's dimensions (C, H, W), else square images of <paramref name="channels"/>.
    /// Errors start with <paramref name="role"/> (which data: training or validation).
    /// </summary>
    public static ImageDataset ReadImages(IDataView view, string pixelsColumn, IReadOnlyList<string> attributeColumns, int channels, string role = "Training data")
    {
        var column = view.Schema[pixelsColumn];
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.ItemType != NumberDataViewType.Single || vector.Size == 0)
        {
            throw new ArgumentException($"{role}: column '{pixelsColumn}' is {column.Type}; expected a fixed-size Vector<Single> of pixels.");
        }

        int c, h, w;
        if (vector.Dimensions.Length == 3)
        {
            (c, h, w) = (vector.Dimensions[0], vector.Dimensions[1], vector.Dimensions[2]);
        }
        else
        {
            c = channels;
            h = w = (int)Math.Round(Math.Sqrt(vector.Size / (double)channels));
            if (c * h * w != vector.Size)
            {
                throw new ArgumentException($"{role}: column '{pixelsColumn}' has {vector.Size} values, which is not {channels} square planes; give it C, H, W dimensions (ExtractPixels does).");
            }
        }

        if (c is not (1 or 3) || h != w)
        {
            throw new ArgumentException($"{role}: column '{pixelsColumn}' holds {c}x{h}x{w} values (C x H x W); DEAE needs square images with 1 (grey) or 3 (RGB) planar channels: ExtractPixels with interleavePixelColors: false and ColorBits.Rgb (or one colour), after ResizeImages to a square size.");
        }

        var attributeColumnsInView = attributeColumns.Select(n => view.Schema[n]).ToArray();
        var pixels = new List<byte[]>();
        var names = attributeColumns.Select(_ => new List<string>()).ToArray();
        using (var cursor = view.GetRowCursor([column, .. attributeColumnsInView]))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(column);
            var getters = attributeColumnsInView.Select(a => ValueGetter(cursor, a, role)).ToArray();
            var buffer = default(VBuffer<float>);
            int plane = h * w;
            while (cursor.MoveNext())
            {
                getPixels(ref buffer);
                var values = buffer.DenseValues().ToArray();
                var bytes = new byte[plane * c];
                for (int ch = 0; ch < c; ch++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        float value = values[(ch * plane) + p];
                        // Only ExtractPixels' raw values survive the byte cache unchanged; scaled or offset pixels would be rounded away.
                        if (value is < 0 or > 255 || value != MathF.Floor(value))
                        {
                            throw new ArgumentException($"{role}: column '{pixelsColumn}' holds the pixel value {value} (row {pixels.Count}); DEAE expects ExtractPixels' raw whole numbers 0-255: leave out scaleImage and offsetImage.");
                        }

                        bytes[(p * c) + ch] = (byte)value;
                    }
                }

                pixels.Add(bytes);
                for (int a = 0; a < getters.Length; a++)
                {
                    names[a].Add(getters[a]());
                }
            }
        }

        if (pixels.Count == 0)
        {
            throw new ArgumentException($"{role} has no rows.");
        }

        var attributes = attributeColumns.Select((n, a) => new AttributeDefinition(n, names[a].Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))).ToList();
        var labels = Enumerable.Range(0, pixels.Count).Select(i => attributes.Select((attribute, a) => attribute.IndexOf(names[a][i])).ToArray()).ToArray();
        return new ImageDataset(w, h, c, attributes, [.. pixels], labels);
    }

    /// <summary>A getter returning a row's attribute value as text (key columns: their key value's text, or the key number).</summary>
    private static Func<string> ValueGetter(DataViewRowCursor cursor, DataViewSchema.Column column, string role)
    {
        if (column.Type is TextDataViewType)
        {
            var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            return () =>
            {
                get(ref value);
                // A blank cell is a missing value, not a value shared by every blank row.
                return value.Span.IsWhiteSpace()
                    ? throw new ArgumentException($"{role}: attribute column '{column.Name}' is blank in row {cursor.Position}.")
                    : value.ToString();
            };
        }

        if (column.Type is KeyDataViewType keyType)
        {
            var get = KeyGetter(cursor, column, keyType);
            var keyNames = default(VBuffer<ReadOnlyMemory<char>>);
            bool named = column.HasKeyValues();
            if (named)
            {
                column.GetKeyValues(ref keyNames);
            }

            var texts = named ? keyNames.DenseValues().Select(k => k.ToString()).ToArray() : [];
            return () =>
            {
                ulong key = get();
                if (key == 0)
                {
                    throw new ArgumentException($"{role}: attribute column '{column.Name}' has a missing key value in row {cursor.Position}.");
                }

                return named ? texts[key - 1] : key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            };
        }

        throw new ArgumentException($"{role}: attribute column '{column.Name}' is {column.Type}; expected text or key.");
    }

    /// <summary>A key column's value whatever its raw type (ML.NET keys are byte, ushort, uint or ulong).</summary>
    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column, KeyDataViewType keyType)
    {
        return keyType.RawType switch
        {
            var t when t == typeof(byte) => Read<byte>(k => k),
            var t when t == typeof(ushort) => Read<ushort>(k => k),
            var t when t == typeof(uint) => Read<uint>(k => k),
            _ => Read<ulong>(k => k),
        };

        Func<ulong> Read<T>(Func<T, ulong> widen)
        {
            var get = cursor.GetGetter<T>(column);
            T key = default!;
            return () =>
            {
                get(ref key);
                return widen(key);
            };
        }
    }
}
