/// What `sh -c SCRIPT` does with its script inside a container, as a POSIX shell does it (for the
/// part people type): the script splits into commands at `;`, `&&`, `||` and newlines outside
/// quotes; `&&` runs the next command only after a success and `||` only after a failure
/// (left to right, so `a && b || c` runs c when a or b fails); `$NAME`, `${NAME}` and `$?`
/// expand from the container's environment and the last exit status everywhere but inside
/// single quotes, and an unquoted expansion splits into words at blanks (field splitting).
///
/// svclab's own prompt keeps refusing `;`, `&&` and `||` (one command per line); this is the
/// shell inside a pod, where the seed's environment-variable section leads a learner to type
/// `curl http://$MY_APP_SERVICE_HOST:$MY_APP_SERVICE_PORT`.
struct PodShellScript {
    /// How a command joins the one before it.
    enum Connector: Equatable { case always, ifSucceeded, ifFailed }

    struct Command: Equatable {
        var connector: Connector
        /// The command's text with expansions still in it (they depend on `$?` at run time).
        var text: String
    }

    enum SyntaxError: Error, Equatable {
        case unterminatedQuote
        /// An operator with no command before it (`&& b`, `a;;b`): the token.
        case unexpected(String)
    }

    /// Splits at the operators outside quotes; quotes and escapes stay in each command's text.
    static func split(_ script: String) throws(SyntaxError) -> [Command] {
        var commands: [Command] = []
        var current = ""
        var connector = Connector.always
        var quote: Character?
        var chars = Array(script)[...]
        func finish(_ next: Connector, token: String) throws(SyntaxError) {
            let trimmed = current.trimmingCharacters(in: .whitespaces)
            current = ""
            guard !trimmed.isEmpty else {
                // A blank line runs nothing (and `a &&` may go on after a newline); an operator
                // with no command before it (`; a`, `a ;; b`, `&& b`) is a syntax error.
                if token != "\n" { throw .unexpected(token) }
                return
            }
            commands.append(Command(connector: connector, text: trimmed))
            connector = next
        }
        while let c = chars.popFirst() {
            if let q = quote {
                current.append(c)
                if c == "\\" && q == "\"", let n = chars.popFirst() { current.append(n) } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "'", "\"":
                quote = c; current.append(c)
            case "\\":
                current.append(c)
                if let n = chars.popFirst() { current.append(n) }
            case "&" where chars.first == "&":
                chars.removeFirst(); try finish(.ifSucceeded, token: "&&")
            case "|" where chars.first == "|":
                chars.removeFirst(); try finish(.ifFailed, token: "||")
            case ";" where chars.first == ";":
                // `;;` ends a case branch; outside `case` both shells call it unexpected.
                throw .unexpected(";;")
            case ";", "\n":
                try finish(.always, token: String(c))
            default:
                current.append(c)
            }
        }
        if quote != nil { throw .unterminatedQuote }
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            if connector != .always { throw .unexpected("end of file") }
        } else {
            commands.append(Command(connector: connector, text: trimmed))
        }
        return commands
    }

    /// The command's text with `$NAME`, `${NAME}`, `$?` and `$0` replaced, escaped so that
    /// `ShellLine` reads the value as data: inside double quotes it stays one word; unquoted,
    /// blanks in it separate words and nothing else in it is special.
    static func expand(_ text: String, environment: [String: String], status: Int32) -> String {
        var out = ""
        var chars = Array(text)[...]
        var quote: Character?
        func value(of name: String) -> String {
            switch name {
            case "?": return String(status)
            case "0": return "sh"
            default: return environment[name] ?? ""
            }
        }
        func escaped(_ value: String) -> String {
            var s = ""
            for ch in value {
                if quote == "\"" {
                    if "\"\\$`".contains(ch) { s.append("\\") }
                } else if ch != " " && ch != "\t" && !(ch.isLetter || ch.isNumber || "-_./:=,@%+".contains(ch)) {
                    s.append("\\")
                }
                s.append(ch)
            }
            return s
        }
        while let c = chars.popFirst() {
            if quote == "'" {
                out.append(c)
                if c == "'" { quote = nil }
                continue
            }
            switch c {
            case "\\":
                out.append(c)
                if let n = chars.popFirst() { out.append(n) }
            case "'" where quote == nil:
                quote = "'"; out.append(c)
            case "\"":
                quote = quote == "\"" ? nil : "\""; out.append(c)
            case "$":
                if chars.first == "{", let close = chars.firstIndex(of: "}") {
                    let name = String(chars[chars.index(after: chars.startIndex)..<close])
                    chars = chars[chars.index(after: close)...]
                    out += escaped(value(of: name))
                } else if chars.first == "?" || chars.first == "0" {
                    out += escaped(value(of: String(chars.removeFirst())))
                } else if let first = chars.first, first == "_" || first.isLetter {
                    var name = ""
                    while let n = chars.first, n == "_" || n.isLetter || n.isNumber { name.append(n); chars.removeFirst() }
                    out += escaped(value(of: name))
                } else {
                    out.append(c)
                }
            default:
                out.append(c)
            }
        }
        return out
    }
}
