import ClusterEngine
import FuzzTargets
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer harness for every parser that reads user input (issue 9). Build and run:
///
///     swift build -c release --product svclab-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
///     SVCLAB_FUZZ=manifest .build/release/svclab-fuzz -max_total_time=60 Fuzz/corpus/manifest
///
/// (`Fuzz/run` does both for all four, in its own build folder.) SVCLAB_FUZZ picks the parser:
/// manifest, selector, shell, scenario or numbers; the checks are `FuzzTarget.run`. A finding traps, so
/// libFuzzer saves the input. Without -DFUZZING the binary replays files given as arguments.
nonisolated(unsafe) let cluster = FuzzTarget.makeCluster()

func fuzz(_ target: FuzzTarget, _ input: String) {
    do { try target.run(input, cluster: cluster) } catch { fatalError("svclab-fuzz \(target): \(error)") }
}

func target() -> FuzzTarget {
    let name = getenv("SVCLAB_FUZZ").map { String(cString: $0) } ?? "manifest"
    guard let t = FuzzTarget(rawValue: name) else { fatalError("SVCLAB_FUZZ must be manifest, selector, shell, scenario or numbers") }
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
/// Replays inputs: `svclab-fuzz TARGET FILE...`.
@main struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let t = FuzzTarget(rawValue: name) else { fatalError("usage: svclab-fuzz manifest|selector|shell|scenario|numbers FILE...") }
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
