import ClusterEngine
#if canImport(Glibc)
import Glibc
#endif
import ClusterModel
import Kubectl
import Scenario

/// libFuzzer harness for every parser that reads user input (issue 9). Build and run:
///
///     swift build -c release --product svclab-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
///     SVCLAB_FUZZ=manifest .build/release/svclab-fuzz -max_total_time=60 Fuzz/corpus/manifest
///
/// (`Fuzz/run` does both for all four.) SVCLAB_FUZZ picks the parser: manifest, selector,
/// shell or scenario. A parser may reject its input, but only with a message, and a rejected
/// manifest must leave the cluster untouched; anything else is a finding (the process traps
/// and libFuzzer saves the input). Without -DFUZZING the same binary replays files given as
/// arguments, which is how `swift test` keeps found cases as regression tests.
enum Target: String { case manifest, selector, shell, scenario }

/// Cluster state survives between inputs (as it does in a session): rejected applies must not
/// change it.
nonisolated(unsafe) let cluster = Cluster.bootstrapped(config: Cluster.Config(seed: 1, workerNodes: 1), settleSeconds: 1)

func check(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("svclab-fuzz: \(what())") }
}

func fuzz(_ target: Target, _ input: String) {
    switch target {
    case .manifest:
        for result in Manifest.load(input, source: "fuzz.yaml") {
            switch result {
            case let .failure(error): check(!error.kubectlMessage.isEmpty, "manifest rejected without a message")
            case let .success(object):
                let before = cluster.resourceVersion
                do { _ = try cluster.create(object); try? cluster.delete(kind: object.kind, namespace: object.metadata.namespace.isEmpty ? "default" : object.metadata.namespace, name: object.metadata.name) }
                catch {
                    check(!error.kubectlMessage().isEmpty, "create rejected without a message")
                    check(cluster.resourceVersion == before, "a rejected create changed the cluster")
                }
            }
        }
    case .selector:
        do { _ = try LabelSelectorExpression.parse(input) } catch { check(!error.message.isEmpty, "selector rejected without a message") }
    case .shell:
        do { _ = try ShellLine.parse(input) } catch { check(!error.message.isEmpty, "shell line rejected without a message") }
    case .scenario:
        do { _ = try ScenarioParser.parse(input, path: "fuzz.yaml") } catch { check(!error.message.isEmpty, "scenario rejected without a message") }
    }
}

func target() -> Target {
    let name = getenv("SVCLAB_FUZZ").map { String(cString: $0) } ?? "manifest"
    guard let t = Target(rawValue: name) else { fatalError("SVCLAB_FUZZ must be manifest, selector, shell or scenario") }
    return t
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Inputs that are not UTF-8 are repaired the way String(decoding:) does for a file read.
    fuzz(target(), String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

#if FUZZING
/// SwiftPM links an executable target's entry point as `<target>_main`; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("svclab_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var args = argv
    return LLVMFuzzerRunDriver(&count, &args, LLVMFuzzerTestOneInput)
}
#else
/// Replays inputs: `svclab-fuzz TARGET FILE...` (what the regression test runs).
@main struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let t = Target(rawValue: name) else { fatalError("usage: svclab-fuzz manifest|selector|shell|scenario FILE...") }
        for path in args.dropFirst() {
            guard let f = fopen(path, "rb") else { fatalError("cannot read \(path)") }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true { let n = fread(&buffer, 1, buffer.count, f); if n <= 0 { break }; bytes += buffer[0..<n] }
            fclose(f)
            fuzz(t, String(decoding: bytes, as: UTF8.self))
        }
        print("replayed \(args.count - 1) \(name) input(s)")
    }
}
#endif
