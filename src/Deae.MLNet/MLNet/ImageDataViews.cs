using Deae.MLNet.Data;
using Deae.MLNet.Exploration;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Deae.MLNet.MLNet;

/// <summary>
/// In-memory image sets (generated, augmented) as ML.NET <see cref="IDataView"/>s, without writing files:
/// a pixels column in <c>ExtractPixels</c>' layout (planar, 0–255, dimensions C × H × W, so
/// <see cref="DeaeEstimator"/> and every ML.NET transform read it as they read extracted pixels) and one
/// text column per attribute, as <see cref="ManifestLoader"/> gives them.
/// </summary>
public static class ImageDataViews
{
    /// <summary>The default name of the pixels column (the name the README's pipelines use).</summary>
    public const string DefaultPixelsColumn = "Pixels";

    /// <summary>The prefix of an augmented set's provenance columns: <c>Source_&lt;attribute&gt;</c>.</summary>
    public const string SourceColumnPrefix = "Source_";

    /// <summary>A data set as an <see cref="IDataView"/>: the pixels column, then one text column per attribute.</summary>
    /// <param name="data">The images and their labels.</param>
    /// <param name="pixelsColumnName">The pixels column's name.</param>
    public static IDataView FromDataset(ImageDataset data, string pixelsColumnName = DefaultPixelsColumn)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new View(data, null, pixelsColumnName);
    }

    /// <summary>
    /// An augmented set (<see cref="Augmenter.Generate(Model.DeaeModel, ImageDataset, AugmentationOptions)"/>) as an <see cref="IDataView"/>: the pixels column,
    /// one text column per attribute (its dominant value, the label) and one <c>Source_&lt;attribute&gt;</c>
    /// text column per attribute saying where the value came from (<c>red</c> for a seen value,
    /// <c>red*0.62+blue*0.38</c> for a mix), the same text as <c>provenance.csv</c>.
    /// </summary>
    /// <param name="images">The augmented images.</param>
    /// <param name="provenance">Each image's provenance, as <see cref="Augmenter.Generate(Model.DeaeModel, ImageDataset, AugmentationOptions)"/> returns it.</param>
    /// <param name="pixelsColumnName">The pixels column's name.</param>
    public static IDataView FromAugmented(ImageDataset images, IReadOnlyList<IReadOnlyList<AttributeProvenance>> provenance, string pixelsColumnName = DefaultPixelsColumn)
    {
        Augmenter.CheckProvenance(images, provenance);
        return new View(images, provenance, pixelsColumnName);
    }

    /// <summary>Reads rows straight from the data set's bytes: the view holds no copy of the pixels.</summary>
    private sealed class View : IDataView
    {
        private readonly ImageDataset _data;
        private readonly IReadOnlyList<IReadOnlyList<AttributeProvenance>>? _provenance;

        public View(ImageDataset data, IReadOnlyList<IReadOnlyList<AttributeProvenance>>? provenance, string pixelsColumnName)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(pixelsColumnName);
            _data = data;
            _provenance = provenance;
            var names = new List<string> { pixelsColumnName };
            names.AddRange(data.Attributes.Select(a => a.Name));
            if (provenance is not null)
            {
                names.AddRange(data.Attributes.Select(a => SourceColumnPrefix + a.Name));
            }

            // ML.NET would hide the earlier of two equal names: refuse instead of losing a column.
            var clash = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (clash is not null)
            {
                throw new ArgumentException($"Column '{clash.Key}' would appear twice (the pixels column and the attributes must have different names).", nameof(pixelsColumnName));
            }

            var builder = new DataViewSchema.Builder();
            builder.AddColumn(pixelsColumnName, new VectorDataViewType(NumberDataViewType.Single, data.Channels, data.Height, data.Width));
            foreach (var name in names.Skip(1))
            {
                builder.AddColumn(name, TextDataViewType.Instance);
            }

            Schema = builder.ToSchema();
        }

        public bool CanShuffle => false;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => _data.Count;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, columnsNeeded);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this, columnsNeeded)];

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly View _view;
            private readonly bool[] _active;
            private long _position = -1;

            public Cursor(View view, IEnumerable<DataViewSchema.Column> columnsNeeded)
            {
                ArgumentNullException.ThrowIfNull(columnsNeeded);
                _view = view;
                _active = new bool[view.Schema.Count];
                foreach (var column in columnsNeeded)
                {
                    _active[column.Index] = true;
                }
            }

            public override DataViewSchema Schema => _view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

            public override bool MoveNext()
            {
                if (_position + 1 >= _view._data.Count)
                {
                    _position = _view._data.Count;
                    return false;
                }

                _position++;
                return true;
            }

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (!_active[column.Index])
                {
                    throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
                }

                Delegate getter = column.Index == 0 ? PixelsGetter() : TextGetter(column.Index - 1);
                return getter as ValueGetter<TValue>
                    ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
            }

            /// <summary>Interleaved H × W × C bytes to planar C × H × W floats, the inverse of <see cref="DataViewReader"/>.</summary>
            private ValueGetter<VBuffer<float>> PixelsGetter() => (ref VBuffer<float> value) =>
            {
                var data = _view._data;
                var bytes = data.GetPixels(Row());
                int channels = data.Channels, plane = data.Width * data.Height;
                var editor = VBufferEditor.Create(ref value, bytes.Length);
                for (int ch = 0; ch < channels; ch++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        editor.Values[(ch * plane) + p] = bytes[(p * channels) + ch];
                    }
                }

                value = editor.Commit();
            };

            /// <summary>Attribute columns, then (augmented sets) their provenance columns.</summary>
            private ValueGetter<ReadOnlyMemory<char>> TextGetter(int index)
            {
                int attributes = _view._data.Attributes.Count;
                return index < attributes
                    ? (ref ReadOnlyMemory<char> value) => value = _view._data.GetValue(Row(), index).AsMemory()
                    : (ref ReadOnlyMemory<char> value) => value = _view._provenance![Row()][index - attributes].ToString().AsMemory();
            }

            private int Row() => _position >= 0 && _position < _view._data.Count
                ? (int)_position
                : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        }
    }
}
