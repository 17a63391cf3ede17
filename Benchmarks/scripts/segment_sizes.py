#!/usr/bin/env python3
"""Where an index's bytes go: stored documents, postings (doc ids and frequencies) and positions
per field, the term dictionary, the rest. Reads the segment files of an index directory directly
(formats 6 to 8, docs/INDEX_FORMAT.md).

    python3 Benchmarks/scripts/segment_sizes.py INDEX_DIR
"""
import glob, struct, sys


def varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def main():
    totals = {}

    def add(key, n):
        totals[key] = totals.get(key, 0) + n

    for path in sorted(glob.glob(sys.argv[1] + "/*.seg")):
        data = open(path, "rb").read()
        version, doc_count = struct.unpack_from("<I", data, 4)[0], struct.unpack_from("<I", data, 16)[0]
        root_offset, _root_length, doc_table, _lengths = struct.unpack_from("<QQQQ", data, len(data) - 40)
        per_block = 16 if version >= 8 else 1  # documents per compressed block of records
        entries = (doc_count + per_block - 1) // per_block
        blocks = (entries + 1023) // 1024
        first_record = struct.unpack_from("<Q", data, doc_table)[0] if doc_count else doc_table
        records_end = struct.unpack_from("<Q", data, doc_table + entries * 8 + blocks * 4)[0]
        add("stored documents", records_end - first_record)
        add("file", len(data))
        i = root_offset
        for field in ("title", "author", "body", "grams"):
            _total, i = varint(data, i)
            count, i = varint(data, i)
            for _ in range(count):
                n, i = varint(data, i)
                i += n
                offset, i = varint(data, i)
                length, i = varint(data, i)
                add("term dictionary", length + 4)
                j, end = offset, offset + length
                while j < end:
                    n, j = varint(data, j)
                    j += n
                    for _ in range(3):  # df, maxTf, minFieldLength
                        _, j = varint(data, j)
                    for kind in ("postings", "positions"):
                        packed, j = varint(data, j)
                        if packed & 1:
                            j += packed >> 1
                            add(f"{field} {kind} (inline, in the dictionary)", packed >> 1)
                        else:
                            _, j = varint(data, j)
                            add(f"{field} {kind}", (packed >> 1) + 4)
    whole = totals.pop("file")
    known = sum(v for k, v in totals.items() if "inline" not in k)
    totals["doc table, field lengths, headers"] = whole - known
    for key in sorted(totals, key=lambda k: -totals[k]):
        print(f"{key:45s} {totals[key] / 1e6:9.2f} MB")
    print(f"{'total':45s} {whole / 1e6:9.2f} MB")


if __name__ == "__main__":
    main()
