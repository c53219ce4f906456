/// Splits one shell line the way a POSIX shell would for the few forms people type at a
/// kubectl prompt: words with '…' and "…" quoting and backslash escapes, `|` pipelines,
/// a `<<EOF` / `<<'EOF'` heredoc marker and `#` comments. No expansion; `;`, `&&`, `||`, `&`
/// and redirections are refused with a message that says so.
public struct ShellLine: Equatable, Sendable {
    /// Each pipeline stage as its words.
    public var stages: [[String]]
    /// The heredoc terminator, if the line ends with `<<WORD`.
    public var heredoc: String?

    public struct SyntaxError: Error, Equatable, Sendable { public var message: String }

    static func unsupported(_ op: String) -> String {
        "`\(op)` is not supported: svclab's shell runs one command per line (put each on its own line; inside a pod, kubectl exec POD -- sh -c '…' runs a shell)"
    }

    public static func parse(_ line: String) throws(SyntaxError) -> ShellLine {
        var stages: [[String]] = [[]]
        var word = ""
        var inWord = false
        var heredoc: String?
        var expectHeredocWord = false
        var chars = Array(line)
        var i = 0
        func endWord() {
            if inWord {
                if expectHeredocWord { heredoc = word; expectHeredocWord = false } else { stages[stages.count - 1].append(word) }
            }
            word = ""; inWord = false
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t":
                endWord()
            case "'":
                inWord = true
                i += 1
                while i < chars.count && chars[i] != "'" { word.append(chars[i]); i += 1 }
                if i >= chars.count { throw SyntaxError(message: "unexpected EOF while looking for matching `''") }
            case "\"":
                inWord = true
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count, "\"\\$`".contains(chars[i + 1]) { i += 1 }
                    word.append(chars[i]); i += 1
                }
                if i >= chars.count { throw SyntaxError(message: "unexpected EOF while looking for matching `\"'") }
            case "\\":
                inWord = true
                if i + 1 < chars.count { word.append(chars[i + 1]); i += 1 }
            case "|" where i + 1 < chars.count && chars[i + 1] == "|":
                throw SyntaxError(message: Self.unsupported("||"))
            case "|":
                endWord()
                if stages[stages.count - 1].isEmpty { throw SyntaxError(message: "syntax error near unexpected token `|'") }
                stages.append([])
            case "#" where !inWord:
                i = chars.count
                continue
            case "<" where i + 1 < chars.count && chars[i + 1] == "<" && !inWord:
                endWord()
                i += 2
                if i < chars.count && chars[i] == "-" { i += 1 }
                expectHeredocWord = true
                while i < chars.count && chars[i] == " " { i += 1 }
                continue
            case ";", "&":
                // A POSIX shell would sequence or background here; svclab runs one command a line.
                let op = c == "&" && i + 1 < chars.count && chars[i + 1] == "&" ? "&&" : String(c)
                throw SyntaxError(message: Self.unsupported(op))
            case ">", "<":
                let op = i + 1 < chars.count && chars[i + 1] == ">" && c == ">" ? ">>" : String(c)
                throw SyntaxError(message: "redirection (`\(op)`) is not supported: svclab's shell reads and writes no files this way; pipe into grep, head, tail, wc or sort, or use kubectl apply -f - <<EOF for input")
            default:
                inWord = true
                word.append(c)
            }
            i += 1
        }
        endWord()
        chars.removeAll()
        if expectHeredocWord { throw SyntaxError(message: "syntax error near unexpected token `newline'") }
        if stages.count > 1 && stages[stages.count - 1].isEmpty { throw SyntaxError(message: "syntax error: unexpected end of file") }
        if stages == [[]] { stages = [] }
        return ShellLine(stages: stages, heredoc: heredoc)
    }
}
