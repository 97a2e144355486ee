using System.Buffers.Binary;
using System.Text;

namespace Deae.MLNet.Runtime;

/// <summary>
/// Reads and edits the symbol-version tables of a 64-bit little-endian ELF shared library:
/// the versions it needs from other libraries (<c>.gnu.version_r</c>) and the versions a library
/// defines (<c>.gnu.version_d</c>). Used to make TorchSharp's native library load on systems whose
/// libstdc++ is older than the one it was linked against.
/// </summary>
internal static class ElfVersionNeeds
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    private const uint SectionTypeVersionDefinition = 0x6ffffffd; // SHT_GNU_verdef
    private const ushort VersionFlagWeak = 0x2; // VER_FLG_WEAK

    /// <summary>One version a library needs from another library.</summary>
    /// <param name="Library">The library the version is needed from (e.g. libstdc++.so.6).</param>
    /// <param name="Version">The version name (e.g. GLIBCXX_3.4.32).</param>
    /// <param name="IsWeak">Whether the requirement is weak (a missing version does not stop loading).</param>
    /// <param name="FlagsOffset">File offset of the requirement's flags field.</param>
    internal readonly record struct Requirement(string Library, string Version, bool IsWeak, long FlagsOffset);

    /// <summary>Lists every version requirement of an ELF image.</summary>
    public static IReadOnlyList<Requirement> ReadRequirements(ReadOnlySpan<byte> elf)
    {
        var result = new List<Requirement>();
        foreach (var section in ReadSections(elf))
        {
            if (section.Type != SectionTypeVersionNeed)
            {
                continue;
            }

            var strings = ReadSections(elf)[checked((int)section.Link)];
            long need = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                ushort count = U16(elf, need + 2);
                string file = CString(elf, strings.Offset + U32(elf, need + 4));
                long aux = need + U32(elf, need + 8);
                for (int j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                    ushort flags = U16(elf, aux + 4);
                    string name = CString(elf, strings.Offset + U32(elf, aux + 8));
                    result.Add(new Requirement(file, name, (flags & VersionFlagWeak) != 0, aux + 4));
                    aux += U32(elf, aux + 12);
                }

                uint next = U32(elf, need + 12);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        return result;
    }

    /// <summary>Lists the version names an ELF library defines (what it offers to others).</summary>
    public static IReadOnlySet<string> ReadDefinitions(ReadOnlySpan<byte> elf)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != SectionTypeVersionDefinition)
            {
                continue;
            }

            var strings = sections[checked((int)section.Link)];
            long def = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32,
                // vd_aux u32, vd_next u32. The first Verdaux (vda_name u32, vda_next u32) names it.
                long aux = def + U32(elf, def + 12);
                result.Add(CString(elf, strings.Offset + U32(elf, aux)));
                uint next = U32(elf, def + 16);
                if (next == 0)
                {
                    break;
                }

                def += next;
            }
        }

        return result;
    }

    /// <summary>Returns a copy of <paramref name="elf"/> in which the named requirements are weak.</summary>
    public static byte[] WithWeakRequirements(ReadOnlySpan<byte> elf, IEnumerable<Requirement> requirements)
    {
        byte[] copy = elf.ToArray();
        foreach (var requirement in requirements)
        {
            var span = copy.AsSpan(checked((int)requirement.FlagsOffset), 2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span) | VersionFlagWeak));
        }

        return copy;
    }

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static List<Section> ReadSections(ReadOnlySpan<byte> elf)
    {
        // Only ELFCLASS64 (2) little-endian (1) images: the only kind TorchSharp ships for Linux x64.
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("Not a 64-bit little-endian ELF image.");
        }

        long tableOffset = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        ushort entrySize = U16(elf, 0x3A);
        ushort count = U16(elf, 0x3C);
        var sections = new List<Section>(count);
        for (int i = 0; i < count; i++)
        {
            long at = tableOffset + ((long)i * entrySize);
            sections.Add(new Section(
                Type: U32(elf, at + 4),
                Offset: checked((long)BinaryPrimitives.ReadUInt64LittleEndian(elf[checked((int)(at + 24))..])),
                Size: checked((long)BinaryPrimitives.ReadUInt64LittleEndian(elf[checked((int)(at + 32))..])),
                Link: U32(elf, at + 40),
                Info: U32(elf, at + 44)));
        }

        return sections;
    }

    private static ushort U16(ReadOnlySpan<byte> elf, long at) => BinaryPrimitives.ReadUInt16LittleEndian(elf[checked((int)at)..]);

    private static uint U32(ReadOnlySpan<byte> elf, long at) => BinaryPrimitives.ReadUInt32LittleEndian(elf[checked((int)at)..]);

    private static string CString(ReadOnlySpan<byte> elf, long at)
    {
        var tail = elf[checked((int)at)..];
        int end = tail.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? tail : tail[..end]);
    }
}
