import ClusterEngine
import ClusterModel

// How kubectl prints what the API server (or its own client-side checks) answered. The errors
// themselves are values (`APIError`: reason, code and causes; `InvalidObjectError`: field
// causes; `ManifestError`); only here, at the edge, do they become kubectl's words — as
// `svclab serve` turns the same values into a metav1.Status.

extension APIError {
    /// kubectl's CheckErr rendering; `source` adds `error when creating "FILE": ` as apply does.
    public func kubectlMessage(verb: String? = nil, source: String? = nil) -> String {
        if case let .invalid(e) = self { return e.kubectlMessage }
        var m = message
        if let verb, let source { m = "error when \(verb) \(goQuote(source)): " + m }
        return "Error from server (\(reason)): " + m
    }
}

extension InvalidObjectError {
    /// kubectl's rendering (cmdutil.CheckErr + MultilineError), without trailing newline.
    public var kubectlMessage: String {
        let prefix = "The \(kind) \(goQuote(name)) is invalid: "
        if causes.count == 1 { return prefix + causes[0].description }
        return prefix + "\n" + causes.map { "* \($0)" }.joined(separator: "\n")
    }
}

extension ManifestError {
    /// The server's words without kubectl's "error when creating FILE" wrapper (patch, edit).
    public var detailText: String {
        switch self {
        case let .badRequest(_, kind, version, detail):
            return "\(kind) in version \(goQuote(version.split(separator: "/").last.map(String.init) ?? version)) cannot be handled as a \(kind): \(detail)"
        default: return kubectlMessage
        }
    }

    public var kubectlMessage: String {
        switch self {
        case let .syntax(source, message): return "error: error parsing \(source): \(message)"
        case let .kindNotSet(source):
            return "error: error validating \(goQuote(source)): error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false"
        case let .apiVersionNotSet(source):
            return "error: error validating \(goQuote(source)): error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"
        case let .noMatch(name, namespace, source, kind, version):
            return "error: resource mapping not found for name: \(goQuote(name)) namespace: \(goQuote(namespace)) from \(goQuote(source)): no matches for kind \(goQuote(kind)) in version \(goQuote(version))\nensure CRDs are installed first"
        case let .badRequest(source, kind, version, detail):
            return "Error from server (BadRequest): error when creating \(goQuote(source)): \(kind) in version \(goQuote(version.split(separator: "/").last.map(String.init) ?? version)) cannot be handled as a \(kind): \(detail)"
        }
    }
}
