import Testing
@testable import ClusterModel
import Kubectl

/// Decoding, strict field validation, defaults and the API server's validation messages.
struct ManifestTests {
    func decode(_ yaml: String) -> Result<KubeObject, ManifestError> {
        Manifest.load(yaml, source: "svc.yaml")[0]
    }

    func failure(_ yaml: String) -> String {
        switch decode(yaml) {
        case .success: return "decoded"
        case let .failure(e): return e.kubectlMessage
        }
    }

    @Test func seedServiceDecodesWithDefaults() throws {
        let yaml = """
        apiVersion: v1
        kind: Service
        metadata:
          name: my-app
          labels:
            app.kubernetes.io/name: my-app
        spec:
          selector:
            app.kubernetes.io/name: my-app
          ports:
            - name: http
              port: 80
        """
        guard case var .success(object) = decode(yaml), case .service = object else { Issue.record("not a service"); return }
        Defaults.apply(&object)
        guard case let .service(svc) = object else { return }
        #expect(svc.spec.type == .clusterIP)
        #expect(svc.spec.sessionAffinity == .none)
        #expect(svc.spec.ports[0].proto == .tcp)
        #expect(svc.spec.ports[0].targetPort == .int(80))
        #expect(svc.spec.internalTrafficPolicy == "Cluster")
        #expect(svc.spec.externalTrafficPolicy == nil)
        #expect(svc.spec.selector == ["app.kubernetes.io/name": "my-app"])
        #expect(Validation.validate(object).isEmpty)
    }

    @Test func unknownFieldsAreRejectedStrictly() {
        #expect(failure("""
        apiVersion: v1
        kind: Service
        metadata: {name: my-app}
        spec:
          selectr: {app: my-app}
          ports: [{port: 80, tragetPort: 8080}]
        """) == "Error from server (BadRequest): error when creating \"svc.yaml\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.ports[0].tragetPort\", unknown field \"spec.selectr\"")
    }

    @Test func unknownFieldInPodTemplate() {
        #expect(failure("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx
                imagePullPolicyy: Always
        """) == "Error from server (BadRequest): error when creating \"svc.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"")
    }

    @Test func wrongTypesUseGoMessages() {
        #expect(failure("""
        apiVersion: v1
        kind: Service
        metadata: {name: my-app}
        spec:
          ports: [{port: "eighty"}]
        """) == "Error from server (BadRequest): error when creating \"svc.yaml\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32")
        // YAML 1.1: an unquoted `yes` is a bool, which a label value cannot be.
        #expect(failure("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          labels: {enabled: yes}
        spec:
          containers: [{name: c, image: nginx}]
        """) == "Error from server (BadRequest): error when creating \"svc.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string")
    }

    @Test func clientSideErrors() {
        #expect(failure("apiVersion: v1\nmetadata: {name: x}\n") == "error: error validating \"svc.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false")
        #expect(failure("apiVersion: v1\nkind: Deployment\nmetadata: {name: x}\n") == "error: resource mapping not found for name: \"x\" namespace: \"\" from \"svc.yaml\": no matches for kind \"Deployment\" in version \"v1\"\nensure CRDs are installed first")
        #expect(failure("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n").hasPrefix("error: error parsing svc.yaml: error converting YAML to JSON: yaml: line "))
    }

    @Test func multiDocumentKeepsGoodDocuments() {
        let results = Manifest.load("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        apiVersion: v1
        kind: Nope
        metadata: {name: b}
        ---
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: c}
        """, source: "f.yaml")
        #expect(results.count == 3)
        #expect((try? results[0].get())?.metadata.name == "a")
        #expect((try? results[1].get()) == nil)
        #expect((try? results[2].get())?.metadata.name == "c")
    }

    func invalid(_ yaml: String) -> String {
        guard case var .success(object) = decode(yaml) else { return "decode failed" }
        Defaults.apply(&object)
        let causes = Validation.validate(object)
        return InvalidObjectError(kind: object.kind, name: object.metadata.name, causes: causes).kubectlMessage
    }

    @Test func serviceValidationMessages() {
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: two-ports}
        spec:
          selector: {app: web}
          ports:
          - {name: HTTP, port: 80}
          - {name: http, port: 81}
          - {name: http, port: 82}
        """) == """
        The Service "two-ports" is invalid: \("")
        * spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
        * spec.ports[2].name: Duplicate value: "http"
        """)
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: np}
        spec:
          ports: [{port: 80, nodePort: 30080}]
        """) == "The Service \"np\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: multi}
        spec:
          ports: [{port: 80}, {name: b, port: 81}]
        """) == "The Service \"multi\" is invalid: spec.ports[0].name: Required value")
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: 1bad}
        spec:
          ports: [{port: 0}]
        """) == """
        The Service "1bad" is invalid: \("")
        * metadata.name: Invalid value: "1bad": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')
        * spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
        * spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive
        """)
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: dup}
        spec:
          ports: [{name: a, port: 443}, {name: b, port: 443}]
        """) == "The Service \"dup\" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:443, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: aff}
        spec:
          sessionAffinity: None
          sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}
          ports: [{port: 80}]
        """) == "The Service \"aff\" is invalid: spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None")
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: aff}
        spec:
          sessionAffinity: ClientIP
          sessionAffinityConfig: {clientIP: {timeoutSeconds: 100000}}
          ports: [{port: 80}]
        """) == "The Service \"aff\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400")
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: t}
        spec:
          type: Foo
          ports: [{port: 80, targetPort: my_port, protocol: tcp}]
        """) == """
        The Service "t" is invalid: \("")
        * spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"
        * spec.ports[0].targetPort: Invalid value: "my_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
        * spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"
        """)
        #expect(invalid("""
        apiVersion: v1
        kind: Service
        metadata: {name: h}
        spec:
          type: NodePort
          clusterIP: None
          ports: [{port: 80}]
        """) == "The Service \"h\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")
    }

    @Test func deploymentSelectorMustMatchTemplate() {
        #expect(invalid("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: my-app}
        spec:
          selector: {matchLabels: {app: my-app}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        """) == "The Deployment \"my-app\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`")
        #expect(invalid("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: my-app}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web}]}
        """) == """
        The Deployment "my-app" is invalid: \("")
        * spec.selector: Required value
        * spec.template.spec.containers[0].image: Required value
        """)
    }

    @Test func podValidation() {
        #expect(invalid("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: a
            image: nginx
            ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}, {name: toolongportname1, containerPort: 70000}]
        """) == """
        The Pod "p" is invalid: \("")
        * spec.containers[0].ports[1].name: Duplicate value: "http"
        * spec.containers[0].ports[2].name: Invalid value: "toolongportname1": must be no more than 15 characters
        * spec.containers[0].ports[2].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive
        """)
    }
}
