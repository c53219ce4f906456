import Testing
@testable import ClusterModel

/// The example table of reference §7.3, with the exact messages the API server prints.
struct NameValidationTests {
    static let label1123 = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let subdomain1123 = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let label1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let namePart = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValue = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    @Test(arguments: ["my-app", "a--1--2--b", "0", "1-a", "012", String(repeating: "a", count: 63)])
    func validDNS1123Labels(_ s: String) { #expect(NameRules.dns1123Label(s).isEmpty) }

    @Test func invalidDNS1123Labels() {
        #expect(NameRules.dns1123Label("My-App") == [Self.label1123])
        #expect(NameRules.dns1123Label("aBc") == [Self.label1123])
        for s in ["a-", "-a", "-", "a_b", ""] { #expect(NameRules.dns1123Label(s) == [Self.label1123], "\(s)") }
        #expect(NameRules.dns1123Label("a.b") == ["must not contain dots"])
        #expect(NameRules.dns1123Label(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func dns1035() {
        for s in ["a1", "a-1", String(repeating: "a", count: 63)] { #expect(NameRules.dns1035Label(s).isEmpty) }
        for s in ["1a", "0", "1-a", "abc-"] { #expect(NameRules.dns1035Label(s) == [Self.label1035], "\(s)") }
    }

    @Test func subdomains() {
        for s in ["a.b.c.d.e", "1.2.3.4.5", String(repeating: "a", count: 253)] { #expect(NameRules.dns1123Subdomain(s).isEmpty) }
        for s in ["a..b", ".a", "a.", "ab.A", "A.a", "a@b", "a:b", "a b"] { #expect(NameRules.dns1123Subdomain(s) == [Self.subdomain1123], "\(s)") }
        #expect(NameRules.dns1123Subdomain(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
    }

    @Test func labelKeys() {
        for s in ["simple", "now-with-dashes", "1234", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
                  "1.2.3.4/5678", String(repeating: "a", count: 253) + "/" + String(repeating: "b", count: 63)] {
            #expect(NameRules.qualifiedName(s).isEmpty, "\(s)")
        }
        #expect(NameRules.qualifiedName("only/one/slash") == ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"])
        #expect(NameRules.qualifiedName("Example.com/abc") == ["prefix part " + Self.subdomain1123])
        #expect(NameRules.qualifiedName("example_com/abc") == ["prefix part " + Self.subdomain1123])
        #expect(NameRules.qualifiedName("example.com/") == ["name part must be non-empty", Self.namePart])
        #expect(NameRules.qualifiedName("/simple") == ["prefix part must be non-empty"])
        #expect(NameRules.qualifiedName("cantendwithadash-") == [Self.namePart])
        #expect(NameRules.qualifiedName("-cantstartwithadash-") == [Self.namePart])
        #expect(NameRules.qualifiedName(String(repeating: "a", count: 64)) == ["name part must be no more than 63 characters"])
        #expect(NameRules.qualifiedName(String(repeating: "a", count: 254) + "/abc") == ["prefix part must be no more than 253 characters"])
        #expect(NameRules.qualifiedName("app:monolith") == [Self.namePart])
    }

    @Test func labelValues() {
        for s in ["", "1234", "end-with-num-1"] { #expect(NameRules.labelValue(s).isEmpty, "\(s)") }
        for s in ["-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "Tama-nui-te-rā.is.Māori.sun", "nospecialchars%^=@"] {
            #expect(NameRules.labelValue(s) == [Self.labelValue], "\(s)")
        }
        #expect(NameRules.labelValue(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func ianaPortNames() {
        for s in ["telnet", "re-mail-ck", "pop3", "a-1", "1-a", "a-1-b-2-c"] { #expect(NameRules.portName(s).isEmpty, "\(s)") }
        #expect(NameRules.portName("12345") == ["must contain at least one letter (a-z)"])
        #expect(NameRules.portName("1-2-3-4") == ["must contain at least one letter (a-z)"])
        #expect(NameRules.portName("longerthan15characters") == ["must be no more than 15 characters"])
        #expect(NameRules.portName(String(repeating: "a", count: 16)) == ["must be no more than 15 characters"])
        #expect(NameRules.portName("two--hyphens") == ["must not contain consecutive hyphens"])
        #expect(NameRules.portName("-begin") == ["must not begin or end with a hyphen"])
        #expect(NameRules.portName("end-") == ["must not begin or end with a hyphen"])
        #expect(NameRules.portName("whois++") == ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"])
        #expect(NameRules.portName("HTTP") == ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"])
        #expect(NameRules.portName("") == ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"])
    }

    @Test func portNumbers() {
        #expect(NameRules.portNumber(0) == ["must be between 1 and 65535, inclusive"])
        #expect(NameRules.portNumber(65536) == ["must be between 1 and 65535, inclusive"])
        #expect(NameRules.portNumber(80).isEmpty)
    }
}
