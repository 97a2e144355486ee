using System.Security.Cryptography;
using System.Text;

namespace Deae.MLNet.IO;

/// <summary>
/// A small self-checking container for model files and checkpoints.
/// </summary>
/// <remarks>
/// *** Binary format ***
/// bytes[8]   magic (identifies the kind of file, e.g. "DEAEMODL")
/// int32      format version
/// int32      number of sections S
/// S times:   int64 length L, bytes[L] content
/// bytes[32]  SHA-256 of everything above (a truncated or corrupted file fails this check)
/// </remarks>
internal static class SectionedFile
{
    /// <summary>Writes the sections atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, string magic, int version, IReadOnlyList<byte[]> sections, bool overwrite)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(MagicBytes(magic));
            writer.Write(version);
            writer.Write(sections.Count);
            foreach (var section in sections)
            {
                writer.Write((long)section.Length);
                writer.Write(section);
            }
        }

        byte[] hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);
        AtomicFile.WriteAllBytes(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), overwrite);
    }

    /// <summary>Reads and checks a file written by <see cref="Write"/>; every error names the file.</summary>
    public static (int Version, List<byte[]> Sections) Read(string path, string magic, int maxVersion)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        byte[] expectedMagic = MagicBytes(magic);
        if (bytes.Length < expectedMagic.Length + 8 + 32 || !bytes.AsSpan(0, expectedMagic.Length).SequenceEqual(expectedMagic))
        {
            throw new InvalidDataException($"'{path}' is not a {magic} file (wrong magic bytes or too short).");
        }

        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
        {
            throw new InvalidDataException($"'{path}' is truncated or corrupted (checksum mismatch).");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length));
        reader.ReadBytes(expectedMagic.Length);
        int version = reader.ReadInt32();
        if (version < 1 || version > maxVersion)
        {
            throw new InvalidDataException($"'{path}' has format version {version}; this library reads versions 1 to {maxVersion}.");
        }

        int count = reader.ReadInt32();
        var sections = new List<byte[]>(count);
        for (int s = 0; s < count; s++)
        {
            sections.Add(reader.ReadBytes(checked((int)reader.ReadInt64())));
        }

        return (version, sections);
    }

    private static byte[] MagicBytes(string magic)
    {
        var bytes = Encoding.ASCII.GetBytes(magic);
        return bytes.Length == 8 ? bytes : throw new ArgumentException("A magic string has 8 ASCII characters.", nameof(magic));
    }
}
