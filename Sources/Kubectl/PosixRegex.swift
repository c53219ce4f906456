#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX regular expressions through the C library's regcomp/regexec — what grep's BRE and
/// ERE mean, and (unlike a backtracking engine such as ICU's) matched by simulating the
/// automaton, so a pattern like `(a|a)*b` over a long line cannot run for ever. What could
/// still blow up is refused before compiling: back-references (the one feature that forces
/// backtracking) and counted repetitions whose expansion would be huge.
public final class PosixRegex {
    /// `text` as an extended regex that matches it literally (grep -F with several -e).
    static func escaped(_ text: String) -> String {
        String(text.flatMap { "\\.[]()*+?{}|^$".contains($0) ? ["\\", $0] : [$0] })
    }

    private var regex = regex_t()

    public enum Syntax { case basic, extended }

    public struct CompileError: Error { public var message: String }

    /// The largest expansion of counted repetitions (`x{1000}` repeats `x` a thousand times
    /// inside the compiled automaton).
    static let maxRepetitionProduct = 1_000

    public init(_ pattern: String, syntax: Syntax, ignoreCase: Bool = false, multiline: Bool = true) throws(CompileError) {
        if let problem = Self.hazard(in: pattern, syntax: syntax) { throw CompileError(message: problem) }
        var flags: Int32 = REG_NOSUB
        if syntax == .extended { flags |= REG_EXTENDED }
        if ignoreCase { flags |= REG_ICASE }
        if multiline { flags |= REG_NEWLINE }
        let rc = regcomp(&regex, pattern, flags)
        guard rc == 0 else {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(rc, &regex, &buffer, buffer.count)
            throw CompileError(message: String(cString: buffer))
        }
    }

    deinit { regfree(&regex) }

    public func matches(_ text: String) -> Bool {
        regexec(&regex, text, 0, nil, 0) == 0
    }

    /// Back-references and oversized repetition counts, found by reading the pattern's text.
    static func hazard(in pattern: String, syntax: Syntax) -> String? {
        let chars = Array(pattern.unicodeScalars)
        // glibc copies the operand of every stacked repetition (`a+++…`): memory grows
        // exponentially with their number, so a repetition may not follow a repetition.
        let stacked = "repeated repetition operators (like a++ or a*{2}) are not supported"
        guard chars.count <= 4096 else { return "regular expression too big" }
        var product = 1
        var i = 0
        var inBracket = false
        var afterRepetition = false
        while i < chars.count {
            let c = chars[i]
            if inBracket {
                if c == "]" { inBracket = false }
                i += 1; continue
            }
            if c == "[" { inBracket = true; afterRepetition = false; i += 1; if i < chars.count, chars[i] == "^" { i += 1 }; if i < chars.count, chars[i] == "]" { i += 1 }; continue }
            if c == "\\", i + 1 < chars.count {
                let n = chars[i + 1]
                if ("1"..."9").contains(n) { return "back-references (\\\(n)) are not supported: they make matching time unbounded" }
                let repetition = syntax == .basic && (n == "{" || n == "+" || n == "?")
                if repetition && afterRepetition { return stacked }
                if syntax == .basic && n == "{" {
                    if let count = count(chars, from: i + 2) { product = product.multipliedReportingOverflow(by: max(count, 1)).partialValue }
                    // Skip to the closing \}.
                    var j = i + 2
                    while j + 1 < chars.count, !(chars[j] == "\\" && chars[j + 1] == "}") { j += 1 }
                    i = j + 2
                    afterRepetition = true
                    if product > maxRepetitionProduct || product <= 0 { return "regular expression too big" }
                    continue
                }
                afterRepetition = repetition
                i += 2; continue
            }
            let repetition = c == "*" || (syntax == .extended && (c == "+" || c == "?" || c == "{"))
            if repetition && afterRepetition { return stacked }
            if syntax == .extended && c == "{", let count = count(chars, from: i + 1) {
                product = product.multipliedReportingOverflow(by: max(count, 1)).partialValue
                var j = i + 1
                while j < chars.count, chars[j] != "}" { j += 1 }
                i = j + 1
                afterRepetition = true
                if product > maxRepetitionProduct || product <= 0 { return "regular expression too big" }
                continue
            }
            afterRepetition = repetition
            if product > maxRepetitionProduct || product <= 0 { return "regular expression too big" }
            i += 1
        }
        return product > maxRepetitionProduct || product <= 0 ? "regular expression too big" : nil
    }

    /// The larger bound of `{n}`, `{n,}` or `{n,m}` starting at `from` (after the brace).
    private static func count(_ chars: [Unicode.Scalar], from: Int) -> Int? {
        var numbers: [Int] = []
        var current = ""
        var i = from
        while i < chars.count, current.count <= 9 {
            let c = chars[i]
            if ("0"..."9").contains(c) { current.unicodeScalars.append(c) }
            else if c == "," { numbers.append(Int(current) ?? 0); current = "" }
            else { break }
            i += 1
        }
        if current.count > 9 { return Int.max / 2 }
        numbers.append(Int(current) ?? 0)
        return numbers.max()
    }
}
