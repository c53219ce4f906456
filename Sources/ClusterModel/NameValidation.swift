import Foundation

/// apimachinery's pkg/util/validation: each function returns the messages the API server
/// prints, in its order. Regexes are matched by hand-written scanners that implement exactly
/// the documented patterns (no regex engine needed for these small grammars).
public enum NameRules {
    public static func maxLenError(_ n: Int) -> String { "must be no more than \(n) characters" }
    public static let emptyError = "must be non-empty"

    public static func regexError(_ msg: String, _ fmt: String, _ examples: [String]) -> String {
        if examples.isEmpty { return msg + " (regex used for validation is '" + fmt + "')" }
        var m = msg + " (e.g. "
        for (i, e) in examples.enumerated() {
            if i > 0 { m += " or " }
            m += "'" + e + "', "
        }
        return m + "regex used for validation is '" + fmt + "')"
    }

    static let dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
    static let dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
    static let qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let labelValueFmt = "(" + qualifiedNameFmt + ")?"
    static let labelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    private static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
    private static func isAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= 65 && c <= 90) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func matchesDNS1123Label(_ s: Substring.UTF8View) -> Bool {
        guard let f = s.first, let l = s.last, isLowerAlnum(f), isLowerAlnum(l) else { return false }
        return s.allSatisfy { isLowerAlnum($0) || $0 == 45 }
    }
    static func matchesDNS1123Subdomain(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { matchesDNS1123Label($0.utf8) }
    }
    static func matchesQualifiedNamePart(_ s: Substring) -> Bool {
        let u = s.utf8
        guard let f = u.first, let l = u.last, isAlnum(f), isAlnum(l) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    public static func dns1123Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > 63 { errs.append(maxLenError(63)) }
        if !matchesDNS1123Label(Substring(value).utf8) {
            if matchesDNS1123Subdomain(value) { errs.append("must not contain dots") }
            else { errs.append(regexError(dns1123LabelErrMsg, dns1123LabelFmt, ["my-name", "123-abc"])) }
        }
        return errs
    }

    public static func dns1123Subdomain(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > 253 { errs.append(maxLenError(253)) }
        if !matchesDNS1123Subdomain(value) {
            errs.append(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, ["example.com"]))
        }
        return errs
    }

    public static func dns1035Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > 63 { errs.append(maxLenError(63)) }
        let u = value.utf8
        let ok = matchesDNS1123Label(Substring(value).utf8) && (u.first.map { $0 >= 97 && $0 <= 122 } ?? false)
        if !ok { errs.append(regexError(dns1035LabelErrMsg, dns1035LabelFmt, ["my-name", "abc-123"])) }
        return errs
    }

    /// Label keys and other qualified names (`example.com/MyName`).
    public static func qualifiedName(_ value: String) -> [String] {
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            let prefix = String(parts[0])
            name = parts[1]
            if prefix.isEmpty { errs.append("prefix part " + emptyError) }
            else { errs.append(contentsOf: dns1123Subdomain(prefix).map { "prefix part " + $0 }) }
        default:
            return ["a qualified name " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty { errs.append("name part " + emptyError) }
        else if name.utf8.count > 63 { errs.append("name part " + maxLenError(63)) }
        if !matchesQualifiedNamePart(name) {
            errs.append("name part " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, ["MyName", "my.name", "123-abc"]))
        }
        return errs
    }

    public static func labelValue(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > 63 { errs.append(maxLenError(63)) }
        if !(value.isEmpty || matchesQualifiedNamePart(Substring(value))) {
            errs.append(regexError(labelValueErrMsg, labelValueFmt, ["MyValue", "my_value", "12345"]))
        }
        return errs
    }

    /// IANA_SVC_NAME: container port names and string targetPorts.
    public static func portName(_ port: String) -> [String] {
        var errs: [String] = []
        let u = port.utf8
        if u.count > 15 { errs.append(maxLenError(15)) }
        if u.isEmpty || !u.allSatisfy({ isLowerAlnum($0) || $0 == 45 }) {
            errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !u.contains(where: { $0 >= 97 && $0 <= 122 }) { errs.append("must contain at least one letter (a-z)") }
        if port.contains("--") { errs.append("must not contain consecutive hyphens") }
        if let f = u.first, let l = u.last, f == 45 || l == 45 { errs.append("must not begin or end with a hyphen") }
        return errs
    }

    public static func portNumber(_ port: Int) -> [String] {
        (1...65535).contains(port) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    public static func ipAddress(_ s: String) -> [String] {
        IPv4.parse(s) != nil ? [] : ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    }

    /// ValidateNonSpecialIP (pkg/apis/core/validation): endpoint addresses may not be the
    /// unspecified address, loopback or link-local — node-centric addresses a Service must not
    /// send traffic to.
    public static func specialIPProblems(_ s: String) -> [String] {
        guard let ip = IPv4.parse(s) else { return ["must be a valid IP address"] }
        var problems: [String] = []
        if ip == 0 { problems.append("may not be unspecified (\(s))") }
        if ip >> 24 == 127 { problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)") }
        if ip >> 16 == 0xA9FE { problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)") }
        if ip >> 8 == 0xE00000 { problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)") }
        return problems
    }

    /// Object-name rules by kind (ValidateObjectMeta's name function).
    public static func objectName(_ name: String, kind: String) -> [String] {
        switch kind {
        case "Service": return dns1035Label(name)
        case "Namespace": return dns1123Label(name)
        default: return dns1123Subdomain(name)
        }
    }
}

/// IPv4 addresses as 32-bit numbers (the simulated cluster is single-stack IPv4).
public enum IPv4 {
    public static func parse(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCIIDigit), let n = UInt32(p), n <= 255 else { return nil }
            if p.count > 1 && p.first == "0" { return nil }
            v = v << 8 | n
        }
        return v
    }
    public static func format(_ v: UInt32) -> String {
        "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
    }
}

extension Character {
    public var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
