import PropertyBased
import Testing
@testable import ClusterModel

/// Label selector grammar (reference §7.4) and parse errors (§7.5).
struct SelectorTests {
    @Test(arguments: ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "!x", "x>1", "x>1,z<5", "x in (abc,)",
                      "x notin (abc,,def),bar,z in (),w", "x notin ( )", "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                      "foo  in\t (abc)", "a in (x,y,notin, z,in)", "app.kubernetes.io/name=my-app"])
    func validSelectors(_ text: String) throws {
        _ = try LabelSelectorExpression.parse(text)
    }

    @Test(arguments: ["x=a||y=b", "x==a==b", "!x=a", "x<a", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),",
                      "a in (xyz)b notin ()", "a in (xyz abc)", "a notin(", "a (", "("])
    func invalidSelectors(_ text: String) {
        #expect(throws: SelectorError.self) { try LabelSelectorExpression.parse(text) }
    }

    func message(_ text: String) -> String {
        do { _ = try LabelSelectorExpression.parse(text); return "ok" } catch { return error.message }
    }

    @Test func errorMessages() {
        #expect(message("=a") == "found '=', expected: !, identifier, or 'end of string'")
        #expect(message("app=my app") == "found 'app', expected: ',' or 'end of string'")
        #expect(message("a=b,") == "found '', expected: identifier after ','")
        #expect(message("app in") == "unable to parse requirement: found '' expected: '('")
        #expect(message("x>a") == "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer")
        #expect(message("app:monolith") == "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
        #expect(message("app=-bad") == "unable to parse requirement: values[0][app]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        #expect(message("a in (xyz abc)") == "unable to parse requirement: found 'abc', expected: ',' or ')'")
        #expect(message("x nott in (y)") == "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt")
        #expect(message("x notin (a,,)") == "unable to parse requirement: found ')', expected: ',', or identifier")
        #expect(message("a in (xyz),") == "found '', expected: identifier after ','")
    }

    @Test func stringForms() throws {
        #expect(try LabelSelectorExpression.parse("z,y notin (jkl),x in (def,abc)").description == "x in (abc,def),y notin (jkl),z")
        #expect(try LabelSelectorExpression.parse("!z,y!=jkl,x notin (def,abc)").description == "x notin (abc,def),y!=jkl,!z")
        #expect(try LabelSelectorExpression.parse("z,y<8,x>2").description == "x>2,y<8,z")
        #expect(try LabelSelectorExpression.parse("a==b").description == "a==b")
    }

    @Test func matchingSemantics() throws {
        let labels = ["app": "my-app", "tier": "web", "n": "3"]
        func m(_ s: String) throws -> Bool { try LabelSelectorExpression.parse(s).matches(labels) }
        #expect(try m(""))
        #expect(try m("app=my-app,tier=web"))
        #expect(try !m("app=my-app,tier=db"))
        #expect(try m("missing!=x"))          // != matches when the key is absent
        #expect(try m("missing notin (a)"))   // notin too
        #expect(try !m("missing in (a)"))
        #expect(try m("app"))
        #expect(try !m("!app"))
        #expect(try m("!missing"))
        #expect(try m("n>2,n<4"))
        #expect(try !m("app>2"))              // non-integer value never compares
        #expect(try m("app in (x,my-app)"))
        #expect(try !LabelSelectorExpression.parse("x=").matches(["y": ""]))
        #expect(try LabelSelectorExpression.parse("x=").matches(["x": ""]))
    }

    // MARK: Properties

    static let keys = Gen.element(of: ["app", "tier", "app.kubernetes.io/name", "example.com/role", "n"]).map { $0! }
    static let values = Gen.element(of: ["a", "b", "my-app", "web", "1", "7", ""]).map { $0! }
    static let ops = Gen.element(of: ["=", "==", "!=", " in ", " notin ", "", "!", ">", "<"]).map { $0! }
    static let requirement = zip(keys, ops, values.array(of: 1...3)).map { key, op, vals -> String in
        switch op {
        case "": return key
        case "!": return "!" + key
        case ">", "<": return key + op + String(vals.count)
        case " in ", " notin ": return key + op + "(" + vals.joined(separator: ",") + ")"
        default: return key + op + vals[0]
        }
    }
    static let selectorText = requirement.array(of: 1...4).map { $0.joined(separator: ",") }
    static let labelSet = zip(keys, values).array(of: 0...5).map { pairs in
        Dictionary(pairs.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    /// Printing a parsed selector and parsing it again gives the same selector.
    @Test func printParseRoundTrip() async {
        await propertyCheck(count: 300, input: Self.selectorText) { text in
            // Some generated texts are invalid on purpose (`in (a,,)` is rejected upstream too).
            if let parsed = try? LabelSelectorExpression.parse(text) {
                let again = try? LabelSelectorExpression.parse(parsed.description)
                #expect(again == parsed, "\(text) → \(parsed.description)")
            }
        }
    }

    /// A selector matches exactly when each of its requirements does (AND, no OR).
    @Test func matchIsConjunction() async {
        await propertyCheck(count: 300, input: Self.selectorText, Self.labelSet) { text, labels in
            guard let sel = try? LabelSelectorExpression.parse(text) else { return }
            let each = sel.requirements.allSatisfy { r in
                (try? LabelSelectorExpression.parse(r.description))?.matches(labels) ?? false
            }
            #expect(sel.matches(labels) == each)
        }
    }

    /// `k!=v` is the negation of `k=v`; `k notin (…)` of `k in (…)`; `!k` of `k`.
    @Test func negations() async {
        await propertyCheck(count: 300, input: Self.keys, Self.values, Self.labelSet) { key, value, labels in
            func m(_ s: String) -> Bool { (try? LabelSelectorExpression.parse(s))?.matches(labels) ?? false }
            #expect(m("\(key)!=\(value)") == !m("\(key)=\(value)"))
            #expect(m("\(key) notin (\(value))") == !m("\(key) in (\(value))"))
            #expect(m("!\(key)") == !m(key))
        }
    }

    /// A map selector (Service.spec.selector) matches a label set iff it is a subset of it.
    @Test func mapSelectorIsSubset() async {
        await propertyCheck(count: 300, input: Self.labelSet, Self.labelSet) { selector, labels in
            let expr = LabelSelectorExpression(equalities: selector)
            #expect(expr.matches(labels) == selector.allSatisfy { labels[$0.key] == $0.value })
        }
    }

    @Test func labelSelectorMatchExpressions() throws {
        let sel = LabelSelector(matchLabels: ["app": "web"], matchExpressions: [.init(key: "tier", op: "In", values: ["a", "b"])])
        #expect(try sel.expression().description == "app=web,tier in (a,b)")
        #expect(sel.formatted == "app=web,tier in (a,b)")
        let bad = LabelSelector(matchExpressions: [.init(key: "tier", op: "Foo", values: nil)])
        #expect(bad.validate(at: FieldPath("spec.selector")).map(\.description) == ["spec.selector.matchExpressions[0].operator: Invalid value: \"Foo\": not a valid selector operator"])
        let missing = LabelSelector(matchExpressions: [.init(key: "tier", op: "In", values: [])])
        #expect(missing.validate(at: FieldPath("spec.selector")).map(\.description) == ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"])
    }
}
