package config

import (
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /certificate as scripts use it (eworm's global-functions and
// check-certificates: find a certificate by common-name, skid or expiry,
// get it whole, import a PEM file fetched before, remove and rename):
// the router's certificate store. A fresh CHR has none. import reads the
// file's PEM certificates and names them <file>_0, <file>_1, ... as
// RouterOS does (eworm removes a failed import with name~"^<file>_[0-9]+$");
// each gets its common-name, issuer, fingerprint (SHA-256), skid, akid,
// invalid-before/after and expires-after (a time, so "where
// expires-after<3w" compares). add, set and remove keep the store; the
// SSTP server serves the certificate it names and the SSTP client takes
// the trusted ones as its roots (sstp_server.go, sstp_client.go);
// nothing else uses one, so a change is reported as stored. Certificates are not exported, as
// RouterOS leaves them out of /export. sign and export-certificate are in
// certificate_sign.go. Not modelled: the builtin store of 7.19+ ([verify] what /certificate builtin holds on a
// CHR), PKCS#12 files, passphrases. Source: Certificates page,
// https://help.mikrotik.com/docs/display/ROS/Certificates
var certMenu = &menu{
	path: "certificate", nameProp: "name", noExport: true, notEnforced: certStoreReason,
	props: []*prop{
		{name: "name", parse: pNonEmpty, required: true},
		sProp("common-name", ""), sProp("country", ""), sProp("state", ""), sProp("locality", ""),
		sProp("organization", ""), sProp("unit", ""), sProp("subject-alt-name", ""),
		sProp("key-size", "2048"), sProp("days-valid", "365"), sProp("key-usage", ""),
		bProp("trusted", "no"), comment,
	},
	check: checkUniqueName("certificate", "certificate with the same name already exists"),
	readonly: func(t *tx, it *item) []Prop {
		out := []Prop{
			{"private-key", boolAPI(it.props["key"] == "yes")},
			{"issued", boolAPI(it.props["issued"] == "true")}, {"revoked", "false"}, {"crl", boolAPI(it.props["crl"] == "true")},
		}
		for _, k := range certFields {
			if v := it.props[k]; v != "" {
				out = append(out, Prop{k, v})
			}
		}
		if after, err := time.Parse(certTime, it.props["invalid-after"]); err == nil {
			left := after.Sub(t.now).Truncate(time.Second)
			out = append(out, Prop{"expired", boolAPI(left <= 0)})
			if left > 0 {
				out = append(out, Prop{"expires-after", script.FormatTimeCompact(left)})
			}
		}
		return out
	},
	columns: []string{"name", "common-name"},
}

// certFields are the values import reads from a certificate.
var certFields = []string{"issuer", "fingerprint", "skid", "akid", "invalid-before", "invalid-after", "serial-number"}

// certTime is how RouterOS 7.10+ writes a date and time.
const certTime = "2006-01-02 15:04:05"

// certBuiltinMenu is /certificate builtin (7.x), the trust anchors that
// come with RouterOS. rosemu's is empty: scripts that look a root up
// there (eworm's CertificateAvailable) find none and turn to the
// router's own store. [verify] which anchors a CHR's holds and the
// version that brought the menu.
var certBuiltinMenu = &menu{
	path: "certificate builtin", readOnly: true, major: 7,
	props: []*prop{sProp("name", ""), sProp("common-name", ""), sProp("fingerprint", ""), sProp("skid", ""), sProp("akid", "")},
}

func init() {
	insertMenus("certificate settings", certMenu, certBuiltinMenu)
	certMenu.commands = map[string]menuCommand{
		"import":                 {syntax: &script.Syntax{Params: map[string]bool{"file-name": true, "passphrase": true, "name": true, "trusted": true}, Flags: map[string]bool{"as-value": true}}, run: (*tx).certImport},
		"sign":                   {syntax: &script.Syntax{Params: map[string]bool{"numbers": true, "ca": true, "name": true, "ca-crl-host": true, "ca-on-smart-card": true}, Unnamed: 1}, run: (*tx).certSign},
		"export-certificate":     {syntax: &script.Syntax{Params: map[string]bool{"numbers": true, "export-passphrase": true, "file-name": true, "type": true}, Unnamed: 1}, run: (*tx).certExport},
		"enable-ssl-certificate": {syntax: &script.Syntax{Params: map[string]bool{"dns-name": true, "directory-url": true, "eab-hmac-key": true, "eab-kid": true}}, run: (*tx).certEnableSSL},
		// SCEP client enrolment (realcheck24 D3: scripts of real 6.4x
		// exports that run it were stored as invalid, "bad command name
		// add-scep"). [verify] the parameter list on a CHR: template and
		// scep-url are those the exports write, challenge-password and
		// ca-identity the manual's SCEP client ones.
		"add-scep": {syntax: &script.Syntax{Params: map[string]bool{"template": true, "scep-url": true, "challenge-password": true, "ca-identity": true}}, run: (*tx).certAddSCEP},
	}
}

// certAddSCEP is /certificate add-scep: RouterOS asks the SCEP server at
// scep-url to sign the template's request. The lab has no SCEP server and
// never reaches the internet, so rosemu accepts the command, makes no
// certificate and reports it not enforced, as enable-ssl-certificate.
func (t *tx) certAddSCEP(_ *request) (result, error) {
	t.r.sys.scriptGap = "add-scep: " + scepReason
	return result{}, nil
}

// scepReason says what rosemu does with add-scep.
const scepReason = "the lab has no SCEP server and never reaches the internet: no certificate is requested or made"

// certEnableSSL is RouterOS 7's Let's Encrypt client (Certificates page,
// "Let's Encrypt certificates"): it asks an ACME server for a certificate
// for dns-name (by default the /ip cloud name) over an http-01 challenge
// on port 80 and puts it on www-ssl. The lab has no ACME server and must
// never reach the internet, so rosemu accepts the command, makes no
// certificate and reports it not enforced (forum32 D2); public scripts
// run it before "set www-ssl certificate=...", which then refers to a
// certificate that does not exist (refused, see checkServiceCert).
// RouterOS 6 has no such command. [verify] directory-url, eab-hmac-key
// and eab-kid (the page's other parameters) and the 7.x that brought it.
func (t *tx) certEnableSSL(req *request) (result, error) {
	if !versionAtLeast(t.r.opts.Version, 7, 0) {
		return result{}, &Error{Msg: "bad command name enable-ssl-certificate", Category: 3}
	}
	t.r.sys.scriptGap = "enable-ssl-certificate: " + acmeReason
	return result{}, nil
}

// acmeReason says what rosemu does with enable-ssl-certificate.
const acmeReason = "the lab has no ACME server (Let's Encrypt) and never reaches the internet: no certificate is requested or made"

// certImport is /certificate import file-name= [passphrase=] [name=]
// as-value: it adds the file's PEM certificates and answers the counts
// RouterOS's import gives (certificates-imported, private-keys-imported,
// files-imported, decryption-failures, keys-with-no-certificate).
func (t *tx) certImport(req *request) (result, error) {
	file, _ := argValue(req.args, "file-name")
	file = strings.TrimPrefix(file, "/")
	if file == "" {
		return result{}, &Error{Msg: "failure: file-name not specified", Category: 4, arg: "file-name"}
	}
	if t.r.opts.Files == nil {
		return result{}, errFailure("file-name", "no such file")
	}
	data, err := t.r.opts.Files.ReadFile(file)
	if err != nil {
		return result{}, errFailure("file-name", "no such file")
	}
	base := file
	if n, ok := argValue(req.args, "name"); ok && n != "" {
		base = n
	}
	certs, keys := 0, 0
	keyDER := "" // the first key, as sign and export-certificate read it
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if strings.Contains(b.Type, "PRIVATE KEY") {
			if keys == 0 {
				keyDER = pkcs8Of(b)
			}
			keys++
			continue
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		it := &item{id: t.r.newID(), props: map[string]string{
			"name":        base + "_" + strconv.Itoa(certs),
			"common-name": c.Subject.CommonName,
		}}
		setCertFields(it, c, b.Bytes)
		if len(c.Subject.Organization) > 0 {
			it.props["organization"] = c.Subject.Organization[0]
		}
		t.m.tables["certificate"] = append(t.m.tables["certificate"], it)
		t.changed = true
		certs++
	}
	if keys > 0 && certs > 0 {
		// The key belongs to the file's first certificate.
		tbl := t.m.tables["certificate"]
		first := tbl[len(tbl)-certs]
		first.props["key"] = "yes"
		if keyDER != "" {
			first.props["keyder"] = keyDER
		}
	}
	noCert := 0
	if certs == 0 {
		noCert = keys
	}
	arr := &script.Array{Keys: map[string]script.Value{
		"certificates-imported":    script.Num(int64(certs)),
		"private-keys-imported":    script.Num(int64(min(keys, certs))),
		"files-imported":           script.Num(1),
		"decryption-failures":      script.Num(0),
		"keys-with-no-certificate": script.Num(int64(noCert)),
	}}
	text := "certificates-imported: " + strconv.Itoa(certs) + "\n"
	return result{val: script.Value{Kind: script.KindArray, Arr: arr}, text: text}, nil
}
