package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net"
	"strconv"
	"strings"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// /certificate sign and export-certificate, as the setup scripts of
// IKEv2 and OpenVPN servers use them (add a CA template and a server or
// client template, sign the CA, sign the others with ca=, export the
// client's certificate and key for its device):
//
//	/certificate add name=CA common-name=CA days-valid=3650 key-usage=key-cert-sign,crl-sign
//	/certificate sign CA ca-crl-host=127.0.0.1 name="CA"
//	/certificate sign SERVER ca="CA" name="SERVER"
//	/certificate export-certificate USER01 export-passphrase=password
//
// sign makes a real X.509 certificate of the template's subject
// (common-name, country, state, locality, organization, unit,
// subject-alt-name "DNS:x,IP:y,email:z"), valid from now for days-valid
// days, self-signed without ca= (the router then trusts it, as RouterOS
// flags a self-signed CA "KLAT") or issued by the named certificate
// (flagged issued), and name= renames it. The key is always ECDSA P-256
// whatever key-size says (key-size is kept as given): the certificate is
// only read by scripts, by export-certificate and by the user, and a
// 4096-bit RSA key would take seconds to make. export-certificate writes
// cert_export_<name>.crt (PEM) to the router's files, and the private key
// as cert_export_<name>.key encrypted with export-passphrase when one is
// given (RouterOS exports no key without it); type=pkcs12 writes
// cert_export_<name>.p12; file-name= chooses the name before the suffix.
// Source: Certificates page, https://help.mikrotik.com/docs/display/ROS/Certificates
// (commands sign and export-certificate, key-usage values, the flags).
// [verify] RouterOS's words when a signed certificate is signed again
// (rosemu signs it afresh) and the default key-usage of a template
// without one (rosemu: a CA's, key-cert-sign and crl-sign, plus
// digital-signature, key-encipherment, tls-server and tls-client).

// certSign is /certificate sign <numbers> [ca=] [name=] [ca-crl-host=]
// [ca-on-smart-card=].
func (t *tx) certSign(req *request) (result, error) {
	its, err := t.items(certMenu, req)
	if err != nil {
		return result{}, err
	}
	var caCert *x509.Certificate
	var caKey crypto.Signer
	if ref, ok := argValue(req.args, "ca"); ok && ref != "" {
		cas, err := t.resolve(certMenu, ref)
		if err != nil {
			return result{}, err
		}
		if caCert, caKey, err = certAndKey(cas[0]); err != nil || caKey == nil {
			// A template that was never signed, or a certificate imported
			// without its key, cannot sign. [verify] RouterOS's words.
			return result{}, errFailure("ca", "CA certificate has no private key")
		}
	}
	newName, rename := argValue(req.args, "name")
	crlHost, _ := argValue(req.args, "ca-crl-host")
	for _, old := range its {
		it := old.clone()
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return result{}, errFailure("numbers", err.Error())
		}
		tmpl, err := certTemplate(it.props, t.now)
		if err != nil {
			return result{}, err
		}
		parent, signer := tmpl, crypto.Signer(key)
		if caCert != nil {
			parent, signer = caCert, caKey
			tmpl.AuthorityKeyId = caCert.SubjectKeyId
		}
		if crlHost != "" {
			tmpl.CRLDistributionPoints = []string{"http://" + crlHost + "/crl/" + strconv.FormatInt(tmpl.SerialNumber.Int64(), 10) + ".crl"}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
		if err != nil {
			return result{}, errFailure("numbers", err.Error())
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return result{}, errFailure("numbers", err.Error())
		}
		pk, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return result{}, errFailure("numbers", err.Error())
		}
		setCertFields(it, c, der)
		it.props["key"], it.props["keyder"] = "yes", base64.StdEncoding.EncodeToString(pk)
		it.props["issued"] = boolAPI(caCert != nil)
		if caCert == nil {
			it.props["trusted"] = "yes"
		}
		if crlHost != "" {
			it.props["crl"] = "true"
		}
		if rename && newName != "" {
			it.props["name"] = newName
		}
		if err := t.finish(certMenu, it, nil); err != nil {
			return result{}, err
		}
		t.replace(certMenu, it)
	}
	return result{text: "  progress: done\n"}, nil
}

// certTemplate is the X.509 template of a certificate template's
// properties, valid from now for its days-valid.
func certTemplate(p map[string]string, now time.Time) (*x509.Certificate, error) {
	days, err := strconv.Atoi(p["days-valid"])
	if p["days-valid"] == "" {
		days, err = 365, nil
	}
	if err != nil || days <= 0 {
		return nil, errInvalid("days-valid")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, errFailure("numbers", err.Error())
	}
	subj := pkix.Name{CommonName: p["common-name"]}
	for k, f := range map[string]*[]string{"country": &subj.Country, "state": &subj.Province, "locality": &subj.Locality,
		"organization": &subj.Organization, "unit": &subj.OrganizationalUnit} {
		if v := p[k]; v != "" {
			*f = []string{v}
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: subj,
		NotBefore: now, NotAfter: now.AddDate(0, 0, days),
		BasicConstraintsValid: true,
	}
	usage := p["key-usage"]
	if usage == "" {
		usage = "digital-signature,key-encipherment,key-cert-sign,crl-sign,tls-server,tls-client"
	}
	for _, u := range strings.Split(usage, ",") {
		if k, ok := keyUsages[u]; ok {
			tmpl.KeyUsage |= k
		}
		if e, ok := extKeyUsages[u]; ok {
			tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, e)
		}
		tmpl.IsCA = tmpl.IsCA || u == "key-cert-sign"
	}
	for _, san := range strings.Split(p["subject-alt-name"], ",") {
		kind, v, _ := strings.Cut(strings.TrimSpace(san), ":")
		switch strings.ToUpper(kind) {
		case "DNS":
			tmpl.DNSNames = append(tmpl.DNSNames, v)
		case "IP":
			if ip := net.ParseIP(v); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		case "EMAIL":
			tmpl.EmailAddresses = append(tmpl.EmailAddresses, v)
		}
	}
	return tmpl, nil
}

// keyUsages and extKeyUsages are RouterOS's key-usage values as X.509
// has them.
var (
	keyUsages = map[string]x509.KeyUsage{
		"digital-signature": x509.KeyUsageDigitalSignature, "content-commitment": x509.KeyUsageContentCommitment,
		"key-encipherment": x509.KeyUsageKeyEncipherment, "data-encipherment": x509.KeyUsageDataEncipherment,
		"key-agreement": x509.KeyUsageKeyAgreement, "key-cert-sign": x509.KeyUsageCertSign, "crl-sign": x509.KeyUsageCRLSign,
		"encipher-only": x509.KeyUsageEncipherOnly, "decipher-only": x509.KeyUsageDecipherOnly,
	}
	extKeyUsages = map[string]x509.ExtKeyUsage{
		"tls-server": x509.ExtKeyUsageServerAuth, "tls-client": x509.ExtKeyUsageClientAuth,
		"code-sign": x509.ExtKeyUsageCodeSigning, "email-protect": x509.ExtKeyUsageEmailProtection,
		"timestamp": x509.ExtKeyUsageTimeStamping, "ocsp-sign": x509.ExtKeyUsageOCSPSigning,
		"ipsec-end-system": x509.ExtKeyUsageIPSECEndSystem, "ipsec-tunnel": x509.ExtKeyUsageIPSECTunnel,
		"ipsec-user": x509.ExtKeyUsageIPSECUser,
	}
)

// setCertFields stores what print and get show of a certificate, and its
// DER for export-certificate and for signing with it.
func setCertFields(it *item, c *x509.Certificate, der []byte) {
	sum := sha256.Sum256(der)
	it.props["issuer"] = c.Issuer.String()
	it.props["fingerprint"] = hex.EncodeToString(sum[:])
	it.props["skid"] = hex.EncodeToString(c.SubjectKeyId)
	it.props["akid"] = hex.EncodeToString(c.AuthorityKeyId)
	it.props["invalid-before"] = c.NotBefore.UTC().Format(certTime)
	it.props["invalid-after"] = c.NotAfter.UTC().Format(certTime)
	it.props["serial-number"] = strings.ToUpper(c.SerialNumber.Text(16))
	it.props["der"] = base64.StdEncoding.EncodeToString(der)
}

// certAndKey reads a certificate's DER and private key back; the key is
// nil when the certificate has none (imported without it). A template
// never signed has neither.
func certAndKey(it *item) (*x509.Certificate, crypto.Signer, error) {
	der, err := base64.StdEncoding.DecodeString(it.props["der"])
	if err != nil || len(der) == 0 {
		return nil, nil, errFailure("numbers", "not signed")
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	if it.props["keyder"] == "" {
		return c, nil, nil
	}
	pk, err := base64.StdEncoding.DecodeString(it.props["keyder"])
	if err != nil {
		return nil, nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(pk)
	if err != nil {
		return nil, nil, err
	}
	s, _ := k.(crypto.Signer)
	return c, s, nil
}

// pkcs8Of is an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC 1) as
// base64 PKCS#8, the form certAndKey reads; "" for one it cannot read (a
// key encrypted with a passphrase): the certificate then shows
// private-key=true, as RouterOS would, but rosemu cannot sign with it.
func pkcs8Of(b *pem.Block) string {
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(b.Bytes); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
			if k, err = x509.ParseECPrivateKey(b.Bytes); err != nil {
				return ""
			}
		}
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(der)
}

// certExport is /certificate export-certificate <numbers>
// [export-passphrase=] [file-name=] [type=pem|pkcs12].
func (t *tx) certExport(req *request) (result, error) {
	its, err := t.items(certMenu, req)
	if err != nil {
		return result{}, err
	}
	typ, _ := argValue(req.args, "type")
	if typ == "" {
		typ = "pem"
	}
	if typ != "pem" && typ != "pkcs12" {
		return result{}, errInvalid("type")
	}
	pass, _ := argValue(req.args, "export-passphrase")
	fileName, _ := argValue(req.args, "file-name")
	w, err := t.fileStore("file-name")
	if err != nil {
		return result{}, err
	}
	// Every file is made before any is written: one certificate that
	// cannot be exported leaves the store as it was.
	files := map[string][]byte{}
	for _, it := range its {
		c, key, err := certAndKey(it)
		if err != nil {
			// A template, not yet signed, has no certificate to export.
			// [verify] RouterOS's words.
			return result{}, errFailure("numbers", "certificate is not signed")
		}
		base := strings.TrimPrefix(fileName, "/")
		if base == "" {
			base = "cert_export_" + it.props["name"]
		}
		switch typ {
		case "pem":
			files[base+".crt"] = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
			if pass != "" && key != nil {
				der, err := x509.MarshalPKCS8PrivateKey(key)
				if err != nil {
					return result{}, errFailure("numbers", err.Error())
				}
				//lint:ignore SA1019 RouterOS writes its exported keys in this legacy encrypted PEM form.
				blk, err := x509.EncryptPEMBlock(rand.Reader, "PRIVATE KEY", der, []byte(pass), x509.PEMCipherAES256) //nolint:staticcheck
				if err != nil {
					return result{}, errFailure("numbers", err.Error())
				}
				files[base+".key"] = pem.EncodeToMemory(blk)
			}
		case "pkcs12":
			var data []byte
			if key != nil {
				data, err = pkcs12.Modern.Encode(key, c, nil, pass)
			} else {
				data, err = pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{c}, pass)
			}
			if err != nil {
				return result{}, errFailure("numbers", err.Error())
			}
			files[base+".p12"] = data
		}
	}
	for name, data := range files {
		if err := w.WriteFile(name, data); err != nil {
			return result{}, errFailure("file-name", err.Error())
		}
	}
	return result{}, nil
}
