// swift-tools-version: 6.1
// svclab — a terminal lab for Kubernetes Services. Module map: ../shared/DESIGN.md §2.
import PackageDescription

let package = Package(
    name: "svclab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "svclab", targets: ["svclab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Kubernetes types, labels and selectors, validation, YAML/JSON codec. No cluster state.
        .target(
            name: "ClusterModel",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Store + watch, virtual clock, seeded RNG, controllers, allocators.
        .target(
            name: "ClusterEngine",
            dependencies: [
                "ClusterModel",
                .product(name: "Collections", package: "swift-collections"),
                // SHA-256 for kube-proxy's chain names (KUBE-SVC-…, KUBE-SEP-…).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The shell language: kubectl (exact 1.33 text) and sleep.
        .target(
            name: "Kubectl",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "ClusterModel", "ClusterEngine", "Diagnosis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Why a Service selects what it does: a model of findings (Kubectl and TUI print it).
        .target(
            name: "Diagnosis",
            dependencies: ["ClusterEngine", "ClusterModel"]
        ),
        // How text takes up a terminal: character widths, tab stops, wrapping that never cuts.
        .target(name: "TextLayout"),
        // Scenario files: format (strict, with positions), runner, expectations, asciinema casts.
        .target(
            name: "Scenario",
            dependencies: ["Kubectl", "ClusterEngine", "ClusterModel", "TextLayout", .product(name: "Yams", package: "Yams")]
        ),
        // `svclab serve`: the simulated cluster behind a Kubernetes HTTP API (Hummingbird 2).
        .target(
            name: "APIServer",
            dependencies: ["ClusterModel", "ClusterEngine", "Kubectl", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "HummingbirdTLS", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // A real cluster through its kubeconfig: the kubeconfig as kubectl reads it, an API client
        // (AsyncHTTPClient), and list+watch reflectors that mirror the cluster into an engine
        // whose controllers are off, so every reader (kubectl text, why, trace, the lab) works on it.
        .target(
            name: "RemoteCluster",
            dependencies: ["ClusterModel", "ClusterEngine", .product(name: "Yams", package: "Yams"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        // ncursesw through a shim (the only C); only the TUI's terminal imports it.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The lab on screen: state → update → render into a cell grid; ncurses and memory terminals.
        .target(
            name: "TUI",
            dependencies: ["CNcurses", "Kubectl", "Scenario", "Diagnosis", "ClusterEngine", "ClusterModel", "TextLayout"]
        ),
        // Executable: argument parsing and wiring only.
        .executableTarget(
            name: "svclab",
            dependencies: [
                "ClusterModel", "ClusterEngine", "Kubectl", "TUI", "Scenario", "APIServer", "RemoteCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift package --disable-sandbox benchmark`: per-change cost at 3 pods vs. a large cluster.
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: ["ClusterEngine", "ClusterModel", "Kubectl", "TUI", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Engine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // libFuzzer harness for the manifest, selector, shell-line and scenario parsers (Fuzz/run);
        // a plain build replays saved inputs (RobustnessTests runs it over Fuzz/corpus).
        .target(
            name: "FuzzTargets",
            dependencies: ["ClusterEngine", "ClusterModel", "Kubectl", "Scenario"],
            path: "Fuzz/Targets"
        ),
        .executableTarget(name: "svclab-fuzz", dependencies: ["ClusterEngine", "FuzzTargets"], path: "Fuzz/Parsers"),
        .testTarget(name: "ClusterModelTests", dependencies: [
            "ClusterModel", "Kubectl", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        // ProxyRules/ holds upstream's expected kube-proxy rules, read from the source tree.
        .testTarget(name: "ClusterEngineTests", dependencies: [
            "ClusterEngine", "ClusterModel", "Kubectl", .product(name: "PropertyBased", package: "swift-property-based"),
        ], exclude: ["ProxyRules"]),
        // Transcripts/ holds the transcript files, read from the source tree by TranscriptTests.
        // What several test targets share: running the real binary with a deadline.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "KubectlTests", dependencies: ["Kubectl", "ClusterEngine", "ClusterModel", "TestSupport"], exclude: ["Transcripts", "RuleDumps"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "TextLayout", "Scenario", "Kubectl", "ClusterEngine", "ClusterModel", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "Kubectl", "ClusterEngine", "ClusterModel", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Kubectl", "ClusterEngine"]),
        .testTarget(name: "RobustnessTests", dependencies: ["Kubectl", "Scenario", "ClusterEngine", "ClusterModel", "FuzzTargets", "CHeapStats"]),
        // glibc's allocator statistics for the memory tests (a header only).
        .systemLibrary(name: "CHeapStats", path: "Tests/CHeapStats"),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "Kubectl", "ClusterEngine", "ClusterModel"]),
    ]
)
