import ClusterModel
import Foundation
import Testing
@testable import APIServer

/// Bodies the real kubectl 1.33 sent to `svclab serve` (captured with `-v=9`, base64 here):
/// the typed generators' protobuf, read into the JSON the API handles.
struct ProtobufTests {
    static func body(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

    @Test func kubectlCreateDeployment() throws {
        // kubectl create deployment cap1 --image=nginx:1.27 --replicas=0 --port=80
        let v = try KubeProtobuf.decode(Self.body("azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsEBCiEKBGNhcDESABoAIgAqADIAOABCAFoLCgNhcHASBGNhcDESjQEIABINCgsKA2FwcBIEY2FwMRpyCh0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEY2FwMRJREjMKBW5naW54EgpuZ2lueDoxLjI3KgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA="))
        #expect(v.jsonString(sortedKeys: true) == #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"cap1"},"name":"cap1"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"cap1"}},"template":{"metadata":{"labels":{"app":"cap1"}},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx","ports":[{"containerPort":80}]}]}}}}"#)
    }

    @Test func kubectlCreateServiceNamespaceAndConfigMap() throws {
        // kubectl create service nodeport cap2 --tcp=80:8080 --tcp=443:http
        let svc = try KubeProtobuf.decode(Self.body("azhzAAoNCgJ2MRIHU2VydmljZRKNAQohCgRjYXAyEgAaACIAKgAyADgAQgBaCwoDYXBwEgRjYXAyEmQKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoAAogCgg0NDMtaHR0cBIDVENQGLsDIgoIARAAGgRodHRwKAASCwoDYXBwEgRjYXAyGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA="))
        #expect(svc.jsonString(sortedKeys: true) == #"{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"cap2"},"name":"cap2"},"spec":{"ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080},{"name":"443-http","port":443,"protocol":"TCP","targetPort":"http"}],"selector":{"app":"cap2"},"type":"NodePort"}}"#)
        let ns = try KubeProtobuf.decode(Self.body("azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEY2FwMxIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA=="))
        #expect(ns.jsonString(sortedKeys: true) == #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"cap3"}}"#)
        let cm = try KubeProtobuf.decode(Self.body("azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiYKFAoEY2FwNBIAGgAiACoAMgA4AEIAEgYKAWESAWISBgoBYxIBZBoAIgA="))
        #expect(cm.jsonString(sortedKeys: true) == #"{"apiVersion":"v1","data":{"a":"b","c":"d"},"kind":"ConfigMap","metadata":{"name":"cap4"}}"#)
    }

    @Test func kubectlDebugNodePod() throws {
        // kubectl debug node/svclab-worker --image=busybox -- chroot /host iptables-save
        let pod = try KubeProtobuf.decode(Self.body("azhzAAoJCgJ2MRIDUG9kEoMCCjEKIW5vZGUtZGVidWdnZXItc3ZjbGFiLXdvcmtlci16c3d6dxIAGgAiACoAMgA4AEIAErgBChIKCWhvc3Qtcm9vdBIFCgMKAS8SYwoIZGVidWdnZXISB2J1c3lib3gaBmNocm9vdBoFL2hvc3QaDWlwdGFibGVzLXNhdmUqAEIAShgKCWhvc3Qtcm9vdBAAGgUvaG9zdCIAMgBqAHIAgAEAiAEAkAEAogEERmlsZRoFTmV2ZXIyAEIASgBSDXN2Y2xhYi13b3JrZXJYAWABaAGCAQCKAQCaAQCyAQ4KABIGRXhpc3RzGgAiAMIBABoTCgAaACIAKgAyAEoAWgByAIgBABoAIgA="))
        #expect(pod.jsonString(sortedKeys: true) == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"node-debugger-svclab-worker-zswzw"},"spec":{"containers":[{"command":["chroot","/host","iptables-save"],"image":"busybox","name":"debugger","terminationMessagePolicy":"File","volumeMounts":[{"mountPath":"/host","name":"host-root"}]}],"hostIPC":true,"hostNetwork":true,"hostPID":true,"nodeName":"svclab-worker","restartPolicy":"Never","tolerations":[{"operator":"Exists"}],"volumes":[{"hostPath":{"path":"/"},"name":"host-root"}]}}"#)
    }

    @Test func malformedBodiesAreErrorsNotCrashes() {
        #expect(throws: KubeProtobuf.DecodeError.self) { try KubeProtobuf.decode(Array("{\"kind\":\"Pod\"}".utf8)) }
        // Truncated: a length that runs past the end.
        #expect(throws: KubeProtobuf.DecodeError.self) { try KubeProtobuf.decode(KubeProtobuf.magic + [0x0a, 0x7f, 0x0a]) }
        // A kind svclab does not decode says so.
        let job: [UInt8] = KubeProtobuf.magic + [0x0a, 0x0d, 0x0a, 0x07] + Array("batch/v1".utf8.prefix(7)) + [0x12, 0x02] + Array("Jb".utf8)
        #expect(throws: KubeProtobuf.DecodeError.self) { try KubeProtobuf.decode(job) }
        // Every prefix of a real body decodes or throws; none crashes.
        let whole = ProtobufTests.body("azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiYKFAoEY2FwNBIAGgAiACoAMgA4AEIAEgYKAWESAWISBgoBYxIBZBoAIgA=")
        for n in 0...whole.count { _ = try? KubeProtobuf.decode(Array(whole.prefix(n))) }
    }
}
