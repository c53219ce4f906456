import Crypto
import Foundation
import SwiftASN1
import X509

/// `svclab serve --tls`: a throwaway certificate authority and a server certificate for
/// localhost, 127.0.0.1 and ::1 (swift-certificates), made fresh each run — what kind does for
/// its API server. The CA goes into the kubeconfig (`certificate-authority-data`), so kubectl
/// and the client libraries verify the server as they would a real one. The keys come from the
/// system's random source: transport security, not the simulation, so not seeded.
public struct ServingCertificates: Sendable {
    public let caPEM: String
    public let certificatePEM: String
    public let privateKeyPEM: String

    public static func make(hosts: [String] = ["localhost"], addresses: [String] = ["127.0.0.1", "::1"], now: Date = Date()) throws -> ServingCertificates {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("svclab-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let key = P256.Signing.PrivateKey()
        var names: [GeneralName] = hosts.map { .dnsName($0) }
        for a in addresses {
            if let v4 = ipv4Bytes(a) { names.append(.ipAddress(ASN1OctetString(contentBytes: v4[...]))) }
            else if a == "::1" { names.append(.ipAddress(ASN1OctetString(contentBytes: ([UInt8](repeating: 0, count: 15) + [1])[...]))) }
        }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: caName, subject: try DistinguishedName { CommonName("kube-apiserver") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))
        return ServingCertificates(caPEM: try ca.serializeAsPEM().pemString, certificatePEM: try server.serializeAsPEM().pemString,
                                   privateKeyPEM: key.pemRepresentation)
    }

    static func ipv4Bytes(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 ? parts : nil
    }
}
