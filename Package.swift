// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CommitteeSearch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "committee-search", targets: ["CommitteeSearchCLI"]),
        .library(name: "CommitteeSearch", targets: ["Analysis", "Articles", "Indexing", "Search", "Evaluation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Debian's ICU, linked through pkg-config; Debian exports only version-suffixed symbols.
        .systemLibrary(name: "CICU", pkgConfig: "icu-i18n", providers: [.apt(["libicu-dev"])]),
        // A small C shim whose header names no ICU type (Foundation carries a private ICU whose
        // types would clash with Debian's in any module that imports both).
        // The only Swift module that sees ICU: word breaks and NFKC behind a pure Swift API.
        .target(name: "CICUShim", dependencies: ["CICU"]),
        .target(name: "ICUText", dependencies: ["CICUShim"]),
        // Debian's zlib, for the stored documents; only Indexing's Deflate.swift calls it.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Text → normalised text with a map back to the source → tokens.
        .target(name: "Analysis", dependencies: ["ICUText"]),
        // Journal issue files → articles (title, author, affiliation, line ranges).
        .target(name: "Articles", dependencies: ["Analysis"]),
        // Inverted index: postings with positions, field lengths, stored fields, on-disk format.
        .target(name: "Indexing", dependencies: ["Analysis", "Articles", "CZlib"]),
        // Queries, BM25, top-k, explanations, snippets.
        .target(name: "Search", dependencies: ["Analysis", "Indexing"]),
        // TREC qrels and runs, and trec_eval's measures.
        .target(name: "Evaluation"),
        .executableTarget(
            name: "CommitteeSearchCLI",
            dependencies: [
                "Analysis", "Articles", "Indexing", "Search", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ICUTextTests", dependencies: ["ICUText"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Articles"]),
        .testTarget(name: "ArticlesTests", dependencies: ["Articles"], resources: [.copy("Fixtures")]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Indexing", "Articles"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["CommitteeSearchCLI"]),
        // `swift package benchmark` (Benchmarks/README.md).
        .executableTarget(
            name: "CommitteeSearchBenchmarks",
            dependencies: ["ICUText", "Analysis", "Articles", "Indexing", "Search", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/CommitteeSearchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
