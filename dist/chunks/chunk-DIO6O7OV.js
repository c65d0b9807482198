import { createRequire as __cwCreateRequire } from 'node:module'; const require = __cwCreateRequire(import.meta.url);
import {
  factsFor,
  signatureValid,
  verifySignature
} from "./chunk-KB4OYESQ.js";
import {
  Gate
} from "./chunk-QZW4XWZK.js";
import {
  safeText
} from "./chunk-NRN5HDCZ.js";
import {
  init_tslib_es6,
  pemBlocks,
  require_cjs,
  require_cjs2,
  tslib_es6_exports
} from "./chunk-I32IJZLF.js";
import {
  CURVES,
  DerError,
  EKU_OID,
  EXTENDED_KEY_USAGES,
  EXTENSION_OIDS,
  HASH_OIDS,
  TAG,
  attributeOid,
  bitString,
  children,
  clip,
  decodeCertificate,
  decodeGeneralName,
  decodeName,
  decodeSignatureAlgorithm,
  expectTlv,
  inner,
  ipFromBytes,
  ipv6Groups,
  oidAt,
  parseOne,
  readTlv,
  smallInteger
} from "./chunk-HSQZZC7B.js";
import {
  __commonJS,
  __toCommonJS,
  __toESM
} from "./chunk-DDCI7ZLU.js";

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/acceptable_responses.js
var require_acceptable_responses = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/acceptable_responses.js"(exports) {
    "use strict";
    var AcceptableResponses_1;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.AcceptableResponses = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var AcceptableResponses = AcceptableResponses_1 = class AcceptableResponses extends asn1_schema_1.AsnArray {
      constructor(items) {
        super(items);
        Object.setPrototypeOf(this, AcceptableResponses_1.prototype);
      }
    };
    exports.AcceptableResponses = AcceptableResponses;
    exports.AcceptableResponses = AcceptableResponses = AcceptableResponses_1 = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Sequence, itemType: asn1_schema_1.AsnPropTypes.ObjectIdentifier })
    ], AcceptableResponses);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/archive_cutoff.js
var require_archive_cutoff = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/archive_cutoff.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ArchiveCutoff = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var ArchiveCutoff = class ArchiveCutoff {
      constructor(value = /* @__PURE__ */ new Date()) {
        this.value = value;
      }
    };
    exports.ArchiveCutoff = ArchiveCutoff;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.GeneralizedTime })
    ], ArchiveCutoff.prototype, "value", void 0);
    exports.ArchiveCutoff = ArchiveCutoff = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Choice })
    ], ArchiveCutoff);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/extended_revoke.js
var require_extended_revoke = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/extended_revoke.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ExtendedRevoke = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var ExtendedRevoke = class ExtendedRevoke {
      constructor(value = null) {
        this.value = value;
      }
    };
    exports.ExtendedRevoke = ExtendedRevoke;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Null })
    ], ExtendedRevoke.prototype, "value", void 0);
    exports.ExtendedRevoke = ExtendedRevoke = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Choice })
    ], ExtendedRevoke);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/nonce.js
var require_nonce = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/nonce.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Nonce = void 0;
    var asn1_schema_1 = require_cjs();
    var Nonce = class extends asn1_schema_1.OctetString {
    };
    exports.Nonce = Nonce;
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/preferred_signature_algorithms.js
var require_preferred_signature_algorithms = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/preferred_signature_algorithms.js"(exports) {
    "use strict";
    var PreferredSignatureAlgorithms_1;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.PreferredSignatureAlgorithms = exports.PreferredSignatureAlgorithm = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var PreferredSignatureAlgorithm = class {
      constructor(params = {}) {
        this.sigIdentifier = new asn1_x509_1.AlgorithmIdentifier();
        Object.assign(this, params);
      }
    };
    exports.PreferredSignatureAlgorithm = PreferredSignatureAlgorithm;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AlgorithmIdentifier })
    ], PreferredSignatureAlgorithm.prototype, "sigIdentifier", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AlgorithmIdentifier, optional: true })
    ], PreferredSignatureAlgorithm.prototype, "certIdentifier", void 0);
    var PreferredSignatureAlgorithms = PreferredSignatureAlgorithms_1 = class PreferredSignatureAlgorithms extends asn1_schema_1.AsnArray {
      constructor(items) {
        super(items);
        Object.setPrototypeOf(this, PreferredSignatureAlgorithms_1.prototype);
      }
    };
    exports.PreferredSignatureAlgorithms = PreferredSignatureAlgorithms;
    exports.PreferredSignatureAlgorithms = PreferredSignatureAlgorithms = PreferredSignatureAlgorithms_1 = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Sequence, itemType: PreferredSignatureAlgorithm })
    ], PreferredSignatureAlgorithms);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/service_locator.js
var require_service_locator = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/service_locator.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ServiceLocator = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var ServiceLocator = class {
      constructor(params = {}) {
        this.issuer = new asn1_x509_1.Name();
        this.locator = new asn1_x509_1.AuthorityInfoAccessSyntax();
        Object.assign(this, params);
      }
    };
    exports.ServiceLocator = ServiceLocator;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Name })
    ], ServiceLocator.prototype, "issuer", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AuthorityInfoAccessSyntax })
    ], ServiceLocator.prototype, "locator", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/index.js
var require_extensions = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/extensions/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    tslib_1.__exportStar(require_acceptable_responses(), exports);
    tslib_1.__exportStar(require_archive_cutoff(), exports);
    tslib_1.__exportStar(require_extended_revoke(), exports);
    tslib_1.__exportStar(require_nonce(), exports);
    tslib_1.__exportStar(require_preferred_signature_algorithms(), exports);
    tslib_1.__exportStar(require_service_locator(), exports);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/responder_id.js
var require_responder_id = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/responder_id.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ResponderID = exports.KeyHash = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var KeyHash = class extends asn1_schema_1.OctetString {
    };
    exports.KeyHash = KeyHash;
    var ResponderID = class ResponderID {
      constructor(params = {}) {
        Object.assign(this, params);
      }
    };
    exports.ResponderID = ResponderID;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Name, context: 1 })
    ], ResponderID.prototype, "byName", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: KeyHash, context: 2 })
    ], ResponderID.prototype, "byKey", void 0);
    exports.ResponderID = ResponderID = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Choice })
    ], ResponderID);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/cert_id.js
var require_cert_id = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/cert_id.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CertID = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_x509_1 = require_cjs2();
    var asn1_schema_1 = require_cjs();
    var CertID2 = class {
      constructor(params = {}) {
        this.hashAlgorithm = new asn1_x509_1.AlgorithmIdentifier();
        this.issuerNameHash = new asn1_schema_1.OctetString();
        this.issuerKeyHash = new asn1_schema_1.OctetString();
        this.serialNumber = new ArrayBuffer(0);
        Object.assign(this, params);
      }
    };
    exports.CertID = CertID2;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AlgorithmIdentifier })
    ], CertID2.prototype, "hashAlgorithm", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.OctetString })
    ], CertID2.prototype, "issuerNameHash", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.OctetString })
    ], CertID2.prototype, "issuerKeyHash", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Integer, converter: asn1_schema_1.AsnIntegerArrayBufferConverter })
    ], CertID2.prototype, "serialNumber", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/revoked_info.js
var require_revoked_info = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/revoked_info.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.RevokedInfo = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var RevokedInfo = class {
      constructor(params = {}) {
        this.revocationTime = /* @__PURE__ */ new Date();
        Object.assign(this, params);
      }
    };
    exports.RevokedInfo = RevokedInfo;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.GeneralizedTime })
    ], RevokedInfo.prototype, "revocationTime", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.CRLReason, context: 0, optional: true })
    ], RevokedInfo.prototype, "revocationReason", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/cert_status.js
var require_cert_status = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/cert_status.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CertStatus = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var revoked_info_1 = require_revoked_info();
    var CertStatus = class CertStatus {
      constructor(params = {}) {
        Object.assign(this, params);
      }
    };
    exports.CertStatus = CertStatus;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Null, context: 0, implicit: true })
    ], CertStatus.prototype, "good", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: revoked_info_1.RevokedInfo, context: 1, implicit: true })
    ], CertStatus.prototype, "revoked", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Null, context: 2, implicit: true })
    ], CertStatus.prototype, "unknown", void 0);
    exports.CertStatus = CertStatus = tslib_1.__decorate([
      (0, asn1_schema_1.AsnType)({ type: asn1_schema_1.AsnTypeTypes.Choice })
    ], CertStatus);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/single_response.js
var require_single_response = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/single_response.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.SingleResponse = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var cert_id_1 = require_cert_id();
    var asn1_x509_1 = require_cjs2();
    var cert_status_1 = require_cert_status();
    var SingleResponse2 = class {
      constructor(params = {}) {
        this.certID = new cert_id_1.CertID();
        this.certStatus = new cert_status_1.CertStatus();
        this.thisUpdate = /* @__PURE__ */ new Date();
        Object.assign(this, params);
      }
    };
    exports.SingleResponse = SingleResponse2;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: cert_id_1.CertID })
    ], SingleResponse2.prototype, "certID", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: cert_status_1.CertStatus })
    ], SingleResponse2.prototype, "certStatus", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.GeneralizedTime })
    ], SingleResponse2.prototype, "thisUpdate", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.GeneralizedTime, context: 0, optional: true })
    ], SingleResponse2.prototype, "nextUpdate", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Extension, context: 1, repeated: "sequence", optional: true })
    ], SingleResponse2.prototype, "singleExtensions", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/types.js
var require_types = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/types.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Version = void 0;
    var Version;
    (function(Version2) {
      Version2[Version2["v1"] = 0] = "v1";
    })(Version || (exports.Version = Version = {}));
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/response_data.js
var require_response_data = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/response_data.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ResponseData = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var responder_id_1 = require_responder_id();
    var single_response_1 = require_single_response();
    var types_1 = require_types();
    var ResponseData = class {
      constructor(params = {}) {
        this.version = types_1.Version.v1;
        this.responderID = new responder_id_1.ResponderID();
        this.producedAt = /* @__PURE__ */ new Date();
        this.responses = [];
        Object.assign(this, params);
      }
    };
    exports.ResponseData = ResponseData;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Integer, context: 0, defaultValue: types_1.Version.v1 })
    ], ResponseData.prototype, "version", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: responder_id_1.ResponderID })
    ], ResponseData.prototype, "responderID", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.GeneralizedTime })
    ], ResponseData.prototype, "producedAt", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: single_response_1.SingleResponse, repeated: "sequence" })
    ], ResponseData.prototype, "responses", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Extension, repeated: "sequence", context: 1, optional: true })
    ], ResponseData.prototype, "responseExtensions", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/basic_ocsp_response.js
var require_basic_ocsp_response = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/basic_ocsp_response.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.BasicOCSPResponse = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var response_data_1 = require_response_data();
    var BasicOCSPResponse = class {
      constructor(params = {}) {
        this.tbsResponseData = new response_data_1.ResponseData();
        this.signatureAlgorithm = new asn1_x509_1.AlgorithmIdentifier();
        this.signature = new ArrayBuffer(0);
        Object.assign(this, params);
      }
    };
    exports.BasicOCSPResponse = BasicOCSPResponse;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: response_data_1.ResponseData, raw: true })
    ], BasicOCSPResponse.prototype, "tbsResponseData", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AlgorithmIdentifier })
    ], BasicOCSPResponse.prototype, "signatureAlgorithm", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.BitString })
    ], BasicOCSPResponse.prototype, "signature", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Certificate, repeated: "sequence", optional: true, context: 0 })
    ], BasicOCSPResponse.prototype, "certs", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/object_identifiers.js
var require_object_identifiers = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/object_identifiers.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.id_pkix_ocsp_extended_revoke = exports.id_pkix_ocsp_pref_sig_algs = exports.id_pkix_ocsp_service_locator = exports.id_pkix_ocsp_archive_cutoff = exports.id_pkix_ocsp_nocheck = exports.id_pkix_ocsp_response = exports.id_pkix_ocsp_crl = exports.id_pkix_ocsp_nonce = exports.id_pkix_ocsp_basic = exports.id_pkix_ocsp = exports.id_kp_OCSPSigning = void 0;
    var asn1_x509_1 = require_cjs2();
    exports.id_kp_OCSPSigning = `${asn1_x509_1.id_kp}.9`;
    exports.id_pkix_ocsp = `${asn1_x509_1.id_ad_ocsp}`;
    exports.id_pkix_ocsp_basic = `${exports.id_pkix_ocsp}.1`;
    exports.id_pkix_ocsp_nonce = `${exports.id_pkix_ocsp}.2`;
    exports.id_pkix_ocsp_crl = `${exports.id_pkix_ocsp}.3`;
    exports.id_pkix_ocsp_response = `${exports.id_pkix_ocsp}.4`;
    exports.id_pkix_ocsp_nocheck = `${exports.id_pkix_ocsp}.5`;
    exports.id_pkix_ocsp_archive_cutoff = `${exports.id_pkix_ocsp}.6`;
    exports.id_pkix_ocsp_service_locator = `${exports.id_pkix_ocsp}.7`;
    exports.id_pkix_ocsp_pref_sig_algs = `${exports.id_pkix_ocsp}.8`;
    exports.id_pkix_ocsp_extended_revoke = `${exports.id_pkix_ocsp}.9`;
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/signature.js
var require_signature = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/signature.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Signature = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var Signature = class {
      constructor(params = {}) {
        this.signatureAlgorithm = new asn1_x509_1.AlgorithmIdentifier();
        this.signature = new ArrayBuffer(0);
        Object.assign(this, params);
      }
    };
    exports.Signature = Signature;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.AlgorithmIdentifier })
    ], Signature.prototype, "signatureAlgorithm", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.BitString })
    ], Signature.prototype, "signature", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Certificate, repeated: "sequence", optional: true, context: 0 })
    ], Signature.prototype, "certs", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/request.js
var require_request = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/request.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Request = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var cert_id_1 = require_cert_id();
    var asn1_x509_1 = require_cjs2();
    var Request2 = class {
      constructor(params = {}) {
        this.reqCert = new cert_id_1.CertID();
        Object.assign(this, params);
      }
    };
    exports.Request = Request2;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: cert_id_1.CertID })
    ], Request2.prototype, "reqCert", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Extension, repeated: "sequence", optional: true })
    ], Request2.prototype, "singleRequestExtensions", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/tbs_request.js
var require_tbs_request = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/tbs_request.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.TBSRequest = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var asn1_x509_1 = require_cjs2();
    var request_1 = require_request();
    var types_1 = require_types();
    var TBSRequest2 = class {
      constructor(params = {}) {
        this.version = types_1.Version.v1;
        this.requestList = [];
        Object.assign(this, params);
      }
    };
    exports.TBSRequest = TBSRequest2;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Integer, context: 0, defaultValue: types_1.Version.v1 })
    ], TBSRequest2.prototype, "version", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.GeneralName, context: 1, optional: true })
    ], TBSRequest2.prototype, "requestorName", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: request_1.Request, repeated: "sequence" })
    ], TBSRequest2.prototype, "requestList", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_x509_1.Extension, context: 2, optional: true, repeated: "sequence" })
    ], TBSRequest2.prototype, "requestExtensions", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_request.js
var require_ocsp_request = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_request.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.OCSPRequest = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var signature_1 = require_signature();
    var tbs_request_1 = require_tbs_request();
    var OCSPRequest2 = class {
      constructor(params = {}) {
        this.tbsRequest = new tbs_request_1.TBSRequest();
        Object.assign(this, params);
      }
    };
    exports.OCSPRequest = OCSPRequest2;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: tbs_request_1.TBSRequest, raw: true })
    ], OCSPRequest2.prototype, "tbsRequest", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: signature_1.Signature, optional: true, context: 0 })
    ], OCSPRequest2.prototype, "optionalSignature", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_response_status.js
var require_ocsp_response_status = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_response_status.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.OCSPResponseStatus = void 0;
    var OCSPResponseStatus2;
    (function(OCSPResponseStatus3) {
      OCSPResponseStatus3[OCSPResponseStatus3["successful"] = 0] = "successful";
      OCSPResponseStatus3[OCSPResponseStatus3["malformedRequest"] = 1] = "malformedRequest";
      OCSPResponseStatus3[OCSPResponseStatus3["internalError"] = 2] = "internalError";
      OCSPResponseStatus3[OCSPResponseStatus3["tryLater"] = 3] = "tryLater";
      OCSPResponseStatus3[OCSPResponseStatus3["sigRequired"] = 5] = "sigRequired";
      OCSPResponseStatus3[OCSPResponseStatus3["unauthorized"] = 6] = "unauthorized";
    })(OCSPResponseStatus2 || (exports.OCSPResponseStatus = OCSPResponseStatus2 = {}));
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/response_bytes.js
var require_response_bytes = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/response_bytes.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ResponseBytes = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var ResponseBytes = class {
      constructor(params = {}) {
        this.responseType = "";
        this.response = new asn1_schema_1.OctetString();
        Object.assign(this, params);
      }
    };
    exports.ResponseBytes = ResponseBytes;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.ObjectIdentifier })
    ], ResponseBytes.prototype, "responseType", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.OctetString })
    ], ResponseBytes.prototype, "response", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_response.js
var require_ocsp_response = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/ocsp_response.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.OCSPResponse = void 0;
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    var asn1_schema_1 = require_cjs();
    var ocsp_response_status_1 = require_ocsp_response_status();
    var response_bytes_1 = require_response_bytes();
    var OCSPResponse = class {
      constructor(params = {}) {
        this.responseStatus = ocsp_response_status_1.OCSPResponseStatus.successful;
        Object.assign(this, params);
      }
    };
    exports.OCSPResponse = OCSPResponse;
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: asn1_schema_1.AsnPropTypes.Enumerated })
    ], OCSPResponse.prototype, "responseStatus", void 0);
    tslib_1.__decorate([
      (0, asn1_schema_1.AsnProp)({ type: response_bytes_1.ResponseBytes, context: 0, optional: true })
    ], OCSPResponse.prototype, "responseBytes", void 0);
  }
});

// node_modules/@peculiar/asn1-ocsp/build/cjs/index.js
var require_cjs3 = __commonJS({
  "node_modules/@peculiar/asn1-ocsp/build/cjs/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var tslib_1 = (init_tslib_es6(), __toCommonJS(tslib_es6_exports));
    tslib_1.__exportStar(require_extensions(), exports);
    tslib_1.__exportStar(require_basic_ocsp_response(), exports);
    tslib_1.__exportStar(require_cert_id(), exports);
    tslib_1.__exportStar(require_cert_status(), exports);
    tslib_1.__exportStar(require_object_identifiers(), exports);
    tslib_1.__exportStar(require_ocsp_request(), exports);
    tslib_1.__exportStar(require_ocsp_response_status(), exports);
    tslib_1.__exportStar(require_ocsp_response(), exports);
    tslib_1.__exportStar(require_request(), exports);
    tslib_1.__exportStar(require_responder_id(), exports);
    tslib_1.__exportStar(require_response_bytes(), exports);
    tslib_1.__exportStar(require_response_data(), exports);
    tslib_1.__exportStar(require_revoked_info(), exports);
    tslib_1.__exportStar(require_signature(), exports);
    tslib_1.__exportStar(require_single_response(), exports);
    tslib_1.__exportStar(require_tbs_request(), exports);
    tslib_1.__exportStar(require_types(), exports);
  }
});

// src/sources/http/fetcher.ts
import * as http from "node:http";
import * as https from "node:https";
import { createHash } from "node:crypto";

// src/sources/http/url.ts
function showUrl(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    const text = `${u.protocol}//${u.host}${u.pathname}${u.search ? "?\u2026" : ""}`;
    return safeText(text.length > 120 ? `${text.slice(0, 117)}\u2026` : text);
  } catch {
    return safeText(url.length > 120 ? `${url.slice(0, 117)}\u2026` : url);
  }
}
function parseHttpUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

// src/sources/http/offline.ts
var OFFLINE_FLAG = "--offline";
var NETWORK_FETCH_OFF = "network.fetch: false in the inventory";
function fetchingOff(reason) {
  return `not fetched: fetching is off (${reason ?? OFFLINE_FLAG})`;
}
var OfflineFetcher = class {
  constructor(offlineReason) {
    this.offlineReason = offlineReason;
  }
  offlineReason;
  offline = true;
  fetch(req) {
    const fail = (reason, message) => Promise.resolve({ ok: false, url: req.url, reason, message, elapsedMs: 0 });
    if (!parseHttpUrl(req.url))
      return fail("scheme", `${showUrl(req.url)} is not an http or https URL; not fetched`);
    return fail("offline", fetchingOff(this.offlineReason));
  }
  ocsp(url, _request, opts) {
    return this.fetch({ url, method: "POST", ...opts });
  }
};

// src/sources/http/fetcher.ts
var HTTP_FETCHER_SERVICE = "httpFetcher";
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var GRACE_MS = 25;
var HOST_DOWN = /* @__PURE__ */ new Set(["timeout", "refused", "dns"]);
var Failure = class extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
  reason;
};
var Fetcher = class {
  offline;
  offlineReason;
  gate;
  timeoutMs;
  maxRedirects;
  clock;
  cache = /* @__PURE__ */ new Map();
  downHosts = /* @__PURE__ */ new Map();
  agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 })
  };
  constructor(opts = {}) {
    this.offline = opts.offline === true;
    if (this.offline) this.offlineReason = opts.offlineReason ?? OFFLINE_FLAG;
    this.gate = new Gate(Math.max(1, opts.concurrency ?? 16));
    this.timeoutMs = Math.max(1, opts.timeoutMs ?? 5e3);
    this.maxRedirects = Math.max(0, opts.maxRedirects ?? 3);
    this.clock = opts.clock ?? Date.now;
  }
  /** Distinct requests made so far (cache entries), for reports and benchmarks. */
  get requests() {
    return this.cache.size;
  }
  fetch(req) {
    const method = req.method ?? "GET";
    const key = `${method} ${req.url} ${req.body ? createHash("sha256").update(req.body).digest("base64") : ""}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.run({ ...req, method });
      this.cache.set(key, hit);
    }
    const deadline = Math.min(req.deadline ?? Infinity, this.clock() + this.timeoutMs);
    return this.within(hit, req.url, deadline + GRACE_MS);
  }
  async ocsp(url, request, opts) {
    const post = await this.fetch({
      url,
      method: "POST",
      body: request,
      contentType: "application/ocsp-request",
      accept: "application/ocsp-response",
      ...opts
    });
    if (post.ok || post.reason !== "status" && post.reason !== "io") return post;
    const sep = url.endsWith("/") ? "" : "/";
    const get = await this.fetch({
      url: `${url}${sep}${encodeURIComponent(request.toString("base64"))}`,
      accept: "application/ocsp-response",
      ...opts
    });
    return get.ok ? { ...get, url } : { ...post, message: `${post.message}; GET: ${get.message}` };
  }
  close() {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
  fail(url, reason, message, started) {
    return { ok: false, url, reason, message, elapsedMs: this.clock() - started };
  }
  within(p, url, deadline) {
    const started = this.clock();
    const left = deadline - started;
    if (left <= 0)
      return Promise.resolve(this.fail(url, "timeout", "no time left within the deadline", started));
    return new Promise((resolve) => {
      const t = setTimeout(
        () => resolve(this.fail(url, "timeout", `no answer from ${showUrl(url)} within the deadline`, started)),
        left
      );
      void p.then((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }
  async run(req) {
    const started = this.clock();
    const first = parseHttpUrl(req.url);
    if (!first)
      return this.fail(
        req.url,
        "scheme",
        `${showUrl(req.url)} is not an http or https URL; not fetched`,
        started
      );
    if (this.offline) return this.fail(req.url, "offline", fetchingOff(this.offlineReason), started);
    const deadline = Math.min(started + this.timeoutMs, req.deadline ?? Infinity);
    const fullWindow = deadline === started + this.timeoutMs;
    await this.gate.enter();
    try {
      let url = first;
      let method = req.method;
      let body = req.body;
      for (let hop = 0; ; hop++) {
        const down = this.downHosts.get(url.host);
        if (down)
          return this.fail(
            req.url,
            down.reason,
            `${down.message} (not asked again: the host did not answer earlier in this run)`,
            started
          );
        if (this.clock() >= deadline)
          return this.fail(
            req.url,
            "timeout",
            `no time left to fetch ${showUrl(url.href)} within the deadline`,
            started
          );
        let res;
        try {
          res = await this.once(url, method, body, req, deadline);
        } catch (e) {
          const f = e instanceof Failure ? e : new Failure("io", safeText(e.message));
          const out = this.fail(req.url, f.reason, f.message, started);
          if (HOST_DOWN.has(f.reason) && (f.reason !== "timeout" || fullWindow))
            this.downHosts.set(url.host, out);
          return out;
        }
        if (REDIRECTS.has(res.status)) {
          if (hop >= this.maxRedirects)
            return this.fail(
              req.url,
              "redirects",
              `more than ${this.maxRedirects} redirects from ${showUrl(req.url)}`,
              started
            );
          const next = res.location ? parseHttpUrl(new URL(res.location, url).href) : null;
          if (!next)
            return this.fail(
              req.url,
              "redirects",
              `${showUrl(url.href)} redirects to a URL that is not http or https`,
              started
            );
          if (res.status === 303 || (res.status === 301 || res.status === 302) && method === "POST") {
            method = "GET";
            body = void 0;
          }
          url = next;
          continue;
        }
        if (res.status !== 200)
          return this.fail(req.url, "status", `${showUrl(url.href)} answered HTTP ${res.status}`, started);
        return {
          ok: true,
          url: req.url,
          finalUrl: url.href,
          status: res.status,
          contentType: res.contentType,
          body: res.body,
          elapsedMs: this.clock() - started
        };
      }
    } finally {
      this.gate.leave();
    }
  }
  /** One HTTP exchange, ended by `deadline` at the latest; throws Failure. */
  once(url, method, body, req, deadline) {
    return new Promise((resolve, reject) => {
      const mod = url.protocol === "https:" ? https : http;
      const headers = { "user-agent": "certwarden", accept: req.accept ?? "*/*" };
      if (body) {
        headers["content-type"] = req.contentType ?? "application/octet-stream";
        headers["content-length"] = String(body.length);
      }
      let settled = false;
      const done = (err, answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          r.destroy();
          reject(err);
        } else resolve(answer);
      };
      const r = mod.request(
        url,
        {
          method,
          headers,
          agent: url.protocol === "https:" ? this.agents.https : this.agents.http,
          // The objects fetched are signed and verified by the caller; the transport is not trusted.
          ...url.protocol === "https:" ? { rejectUnauthorized: false } : {}
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = typeof res.headers.location === "string" ? res.headers.location : null;
          const contentType = res.headers["content-type"] ?? null;
          if (status !== 200) {
            res.resume();
            return done(null, { status, location, contentType, body: Buffer.alloc(0) });
          }
          const declared = Number(res.headers["content-length"]);
          if (Number.isFinite(declared) && declared > req.maxBytes)
            return done(
              new Failure(
                "too-large",
                `${showUrl(url.href)} sends ${declared} bytes, more than the ${req.maxBytes} allowed`
              )
            );
          const chunks = [];
          let size = 0;
          res.on("data", (c) => {
            size += c.length;
            if (size > req.maxBytes)
              return done(
                new Failure(
                  "too-large",
                  `${showUrl(url.href)} sends more than the ${req.maxBytes} bytes allowed`
                )
              );
            chunks.push(c);
          });
          res.on(
            "end",
            () => done(null, { status, location, contentType, body: Buffer.concat(chunks, size) })
          );
          res.on(
            "aborted",
            () => done(new Failure("io", `${showUrl(url.href)} closed the connection mid-answer`))
          );
          res.on("error", (e) => done(new Failure("io", `${showUrl(url.href)}: ${safeText(e.message)}`)));
        }
      );
      const timer = setTimeout(
        () => done(new Failure("timeout", `no answer from ${showUrl(url.href)} within the deadline`)),
        Math.max(0, deadline - this.clock())
      );
      r.on("error", (e) => done(classify(e, url)));
      r.end(body);
    });
  }
};
function classify(e, url) {
  const code = e.code ?? "";
  const where = showUrl(url.href);
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return new Failure("refused", `${where}: connection refused (${code})`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")
    return new Failure("dns", `${where}: the host name does not resolve (${code})`);
  return new Failure("io", `${where}: ${safeText(code || e.message)}`);
}

// src/x509/verify/paths.ts
var DEFAULT_LIMITS = {
  maxIntermediates: 10,
  maxSignatureChecks: 250,
  maxSteps: 2e3,
  maxPaths: 64
};
function buildPaths(leaf, intermediates, anchors, limits, check) {
  return new PathSearch(limits, check).run(leaf, intermediates, anchors);
}
var PathSearch = class {
  constructor(limits, check) {
    this.limits = limits;
    this.check = check;
  }
  limits;
  check;
  out = {
    accepted: null,
    acceptedResult: null,
    rejected: [],
    tried: 0,
    deadEnd: null,
    exhausted: false,
    work: { signatureChecks: 0, steps: 0 }
  };
  sigChecks = 0;
  steps = 0;
  /** Usable anchors and intermediates by the key of their subject name. */
  bySubject = /* @__PURE__ */ new Map();
  /** The path being extended, leaf first. */
  path = [];
  run(leaf, intermediates, anchors) {
    const anchorBySha = this.index(leaf, intermediates, anchors);
    const leafNode = anchorBySha.get(leaf.sha256) ?? {
      record: leaf,
      facts: factsFor(leaf),
      anchorId: null
    };
    if (leafNode.anchorId && this.complete([leafNode])) return this.out;
    if (leafNode.facts.fatal) {
      this.noteDeadEnd([leafNode], { kind: "no-issuer", node: leafNode });
      return this.out;
    }
    this.path.push({ ...leafNode, anchorId: null });
    this.extend(0);
    this.out.work = {
      signatureChecks: Math.min(this.sigChecks, this.limits.maxSignatureChecks),
      steps: Math.min(this.steps, this.limits.maxSteps)
    };
    return this.out;
  }
  /** Fills bySubject (anchors first, duplicates and the leaf left out); returns the anchors by digest. */
  index(leaf, intermediates, anchors) {
    const anchorNodes = [];
    const anchorBySha = /* @__PURE__ */ new Map();
    for (const a of anchors) {
      if (anchorBySha.has(a.record.sha256)) continue;
      const n = { record: a.record, facts: factsFor(a.record), anchorId: a.id };
      anchorBySha.set(a.record.sha256, n);
      anchorNodes.push(n);
    }
    const seen = /* @__PURE__ */ new Set([leaf.sha256]);
    const interNodes = [];
    for (const r of intermediates) {
      if (seen.has(r.sha256) || anchorBySha.has(r.sha256)) continue;
      seen.add(r.sha256);
      interNodes.push({ record: r, facts: factsFor(r), anchorId: null });
    }
    for (const n of [...anchorNodes, ...interNodes]) {
      if (n.facts.fatal) continue;
      const list = this.bySubject.get(n.facts.subject.key) ?? [];
      list.push(n);
      this.bySubject.set(n.facts.subject.key, list);
    }
    return anchorBySha;
  }
  noteDeadEnd(path, reason) {
    const out = this.out;
    if (!out.deadEnd || path.length > out.deadEnd.path.length) out.deadEnd = { path: [...path], reason };
  }
  /** Judges a complete path; true when it is accepted. */
  complete(path) {
    const out = this.out;
    if (out.tried >= this.limits.maxPaths) {
      out.exhausted = true;
      return false;
    }
    out.tried++;
    const { ok, result } = this.check(path);
    if (ok) {
      out.accepted = [...path];
      out.acceptedResult = result;
      return true;
    }
    out.rejected.push({ path: [...path], result });
    return false;
  }
  /** Tries every issuer of the path's last certificate; true once a path is accepted. */
  extend(logical) {
    const path = this.path;
    const node = path[path.length - 1];
    const f = node.facts;
    if (f.fatal) {
      this.noteDeadEnd(path, { kind: "no-issuer", node });
      return false;
    }
    const candidates = orderCandidates(f, this.bySubject.get(f.issuer.key) ?? []);
    if (candidates.length === 0) {
      this.noteDeadEnd(
        path,
        f.selfIssued && path.length > 0 ? { kind: "self-signed-untrusted", node } : { kind: "no-issuer", node }
      );
      return false;
    }
    let signed = 0;
    let looped = 0;
    for (const cand of candidates) {
      if (this.out.exhausted) return false;
      if (path.some((p) => p.record.sha256 === cand.record.sha256 || sameEntity(p.facts, cand.facts))) {
        looped++;
        continue;
      }
      const good = this.signedBy(node, cand);
      if (good === null) return false;
      if (!good) continue;
      signed++;
      if (this.descend(cand, logical)) return true;
    }
    if (signed === 0) {
      if (looped === candidates.length) this.noteDeadEnd(path, { kind: "loop", node });
      else this.noteDeadEnd(path, { kind: "bad-signature", node, candidates: candidates.length - looped });
    }
    return false;
  }
  /** Does `cand` sign `node` (cached across builds)? null when the work bound is reached. */
  signedBy(node, cand) {
    if (++this.steps > this.limits.maxSteps) return this.exhaust(node);
    const key = `${node.facts.sha256}>${cand.facts.sha256}`;
    let good = sigCache.get(key);
    if (good === void 0) {
      if (++this.sigChecks > this.limits.maxSignatureChecks) return this.exhaust(node);
      good = signatureValid(node.facts, cand.facts);
      rememberSig(key, good);
    }
    return good;
  }
  exhaust(node) {
    this.out.exhausted = true;
    this.noteDeadEnd(this.path, { kind: "budget", node });
    return null;
  }
  /** Puts `cand` on the path: an anchor completes it, anything else is extended further. */
  descend(cand, logical) {
    this.path.push(cand);
    try {
      if (cand.anchorId) return this.complete(this.path);
      const nextLogical = logical + (cand.facts.selfIssued ? 0 : 1);
      if (nextLogical > this.limits.maxIntermediates) {
        this.out.tried++;
        this.noteDeadEnd(this.path, { kind: "depth", node: cand });
        return false;
      }
      return this.extend(nextLogical);
    } finally {
      this.path.pop();
    }
  }
};
function sameEntity(a, b) {
  return a.subject.key === b.subject.key && a.spki.raw.equals(b.spki.raw);
}
function orderCandidates(child, list) {
  const aki = child.aki?.keyId ?? null;
  const rank = (n) => {
    const ski = n.facts.ski;
    const keyRank = aki && ski ? aki.equals(ski) ? 0 : 2 : 1;
    return (n.anchorId ? 0 : 10) + keyRank;
  };
  return list.map((n, i) => ({ n, i, r: rank(n) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.n).filter((n) => n.facts.sha256 !== child.sha256);
}
var sigCache = /* @__PURE__ */ new Map();
function rememberSig(key, ok) {
  if (sigCache.size > 2e4) sigCache.clear();
  sigCache.set(key, ok);
}

// src/x509/verify/names.ts
import { isIPv4, isIPv6 } from "node:net";
import { domainToASCII } from "node:url";
var LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
function isValidDnsName(name, allowWildcard) {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (i === 0 && allowWildcard && l === "*" && labels.length > 1) continue;
    if (!LABEL.test(l)) return false;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return false;
  return true;
}
function parseIp(text) {
  if (isIPv4(text)) return Buffer.from(text.split(".").map(Number));
  if (!isIPv6(text)) return null;
  const groups = ipv6Groups(text);
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
function formatIp(b) {
  if (b.length !== 4 && b.length !== 16) return `<${b.length}-byte address>`;
  return ipFromBytes(b, 0, b.length, false);
}
function dnsSanMatches(presented, reference) {
  if (!isValidDnsName(presented, true)) return false;
  const p = presented.toLowerCase();
  const r = reference.toLowerCase().replace(/\.$/, "");
  if (!p.startsWith("*.")) return p === r;
  const suffix = p.slice(2);
  if (suffix.split(".").length < 2) return false;
  const dot = r.indexOf(".");
  return dot > 0 && r.slice(dot + 1) === suffix;
}
function matchPeerName(san, peer) {
  const names = san ?? [];
  if (peer.kind === "DNS") {
    const ref = /^[\x20-\x7e]*$/.test(peer.value) ? peer.value : domainToASCII(peer.value);
    if (!isValidDnsName(ref.replace(/\.$/, ""), false))
      return `'${clip(peer.value)}' is not a valid DNS name`;
    if (names.some((n) => n.type === "dns" && n.ascii && dnsSanMatches(n.value, ref))) return null;
  } else if (peer.kind === "IP") {
    const ref = parseIp(peer.value);
    if (!ref) return `'${clip(peer.value)}' is not a valid IP address`;
    if (names.some((n) => n.type === "ip" && n.bytes.equals(ref))) return null;
  } else if (peer.kind === "RFC822") {
    const at = peer.value.lastIndexOf("@");
    const want = at < 0 ? null : peer.value.slice(0, at) + "@" + peer.value.slice(at + 1).toLowerCase();
    if (want && names.some((n) => n.type === "email" && emailNormal(n.value) === want)) return null;
  } else {
    return `peer name kind '${clip(peer.kind)}' is not supported`;
  }
  const listed = names.filter((n) => n.type === "dns" || n.type === "ip" || n.type === "email").slice(0, 5).map((n) => n.type === "ip" ? formatIp(n.bytes) : clip(n.value));
  return san === null ? `certificate has no subjectAltName, so it cannot match ${peer.kind} '${clip(peer.value)}' (the subject CN is not used)` : `${peer.kind} '${clip(peer.value)}' matches none of the subjectAltNames (${listed.join(", ") || "none of that kind"})`;
}
function emailNormal(v) {
  const at = v.lastIndexOf("@");
  return at < 0 ? v : v.slice(0, at) + "@" + v.slice(at + 1).toLowerCase();
}

// src/x509/verify/name-constraints.ts
function nameConstraintsOf(f, strict = true) {
  const ext = f.extensions.get(EXTENSION_OIDS.nameConstraints);
  if (!ext) return null;
  try {
    const b = ext.value;
    const seq = parseOne(b, TAG.SEQUENCE);
    let permitted = null;
    let excluded = null;
    for (const part of inner(b, seq)) {
      if (part.tag !== 160 && part.tag !== 161) throw new DerError("unexpected element");
      const list = [];
      for (const st of inner(b, part)) {
        const [base, ...rest] = inner(b, st);
        if (!base) throw new DerError("GeneralSubtree without base");
        for (const r of rest) {
          if (r.tag === 128 && r.end - r.body === 1 && b[r.body] === 0) continue;
          throw new DerError("GeneralSubtree uses minimum/maximum, which RFC 5280 forbids");
        }
        list.push(decodeGeneralName(b, base));
      }
      if (part.tag === 160) permitted = list;
      else excluded = list;
    }
    if (!permitted?.length && !excluded?.length)
      return "nameConstraints has neither permitted nor excluded subtrees";
    for (const c of [...permitted ?? [], ...excluded ?? []]) {
      const bad = constraintSyntaxError(c, strict);
      if (bad) return bad;
    }
    return { permitted, excluded, critical: ext.critical };
  } catch (e) {
    return `nameConstraints is malformed (${e.message})`;
  }
}
function constraintSyntaxError(c, strict) {
  switch (c.type) {
    case "dns":
      if (c.value === "" || c.ascii && isValidDnsName(strict ? c.value : c.value.replace(/^\./, ""), false))
        return null;
      return `dNSName constraint '${clip(c.value)}' is not a valid DNS name`;
    case "ip": {
      const n = c.bytes.length;
      if (n !== 8 && n !== 32) return `iPAddress constraint of ${n} bytes is not an address and mask`;
      const mask = c.bytes.subarray(n / 2);
      let seenZero = false;
      for (const byte of mask) {
        for (let bit = 7; bit >= 0; bit--) {
          const on = byte >> bit & 1;
          if (on && seenZero) return `iPAddress constraint has a non-contiguous mask`;
          if (!on) seenZero = true;
        }
      }
      return null;
    }
    case "email": {
      const v = c.value;
      if (!c.ascii) return `rfc822Name constraint '${clip(v)}' is not ASCII`;
      const parts = v.split("@");
      if (parts.length > 2)
        return `rfc822Name constraint '${clip(v)}' is not a valid mailbox, host or domain`;
      const host = parts.length === 2 ? parts[1] : v.replace(/^\./, "");
      if (parts.length === 2 && parts[0] === "" || !isValidDnsName(host, false)) {
        return `rfc822Name constraint '${clip(v)}' is not a valid mailbox, host or domain`;
      }
      return null;
    }
    case "uri": {
      const host = c.value.replace(/^\./, "");
      if (c.ascii && isValidDnsName(host, false)) return null;
      return `uniformResourceIdentifier constraint '${clip(c.value)}' is not a host or domain`;
    }
    default:
      return null;
  }
}
var EMAIL_ADDRESS = attributeOid("emailAddress");
function constrainedNames(f) {
  const out = [...f.san ?? []];
  if (!f.subject.empty) {
    out.push({ type: "dn", name: f.subject });
    for (const rdn of f.subject.rdns) {
      for (const ava of rdn) {
        if (ava.oid === EMAIL_ADDRESS && ava.text !== null)
          out.push({ type: "email", value: ava.text, ascii: /^[\x20-\x7e]*$/.test(ava.text) });
      }
    }
  }
  return out;
}
function checkNameConstraints(nc, f, budget) {
  const names = constrainedNames(f);
  const permitted = nc.permitted ?? [];
  const excluded = nc.excluded ?? [];
  for (const name of names) {
    const sameP = permitted.filter((c) => sameForm(c, name));
    const sameE = excluded.filter((c) => sameForm(c, name));
    if (sameP.length === 0 && sameE.length === 0) continue;
    budget.remaining -= sameP.length + sameE.length;
    if (budget.remaining < 0)
      return "too many names and constraints to check (refused as a denial-of-service guard)";
    if (name.type === "other")
      return `a name of a form the constraints restrict but certwarden cannot evaluate (tag 0x${name.tag.toString(16)})`;
    const invalid = nameSyntaxError(name);
    if (invalid) return invalid;
    for (const c of sameE) {
      if (matches(c, name, "excluded")) return `${describe(name)} is in an excluded subtree (${describe(c)})`;
    }
    if (sameP.length > 0 && !sameP.some((c) => matches(c, name, "permitted"))) {
      return `${describe(name)} is outside the permitted subtrees (${sameP.slice(0, 4).map(describe).join(", ")})`;
    }
  }
  return null;
}
function sameForm(c, n) {
  if (c.type !== n.type) return false;
  return c.type !== "other" || c.tag === n.tag;
}
function nameSyntaxError(n) {
  switch (n.type) {
    case "dns":
      return n.ascii && isValidDnsName(n.value, true) ? null : `dNSName '${clip(n.value)}' is malformed`;
    case "ip":
      return n.bytes.length === 4 || n.bytes.length === 16 ? null : `iPAddress of ${n.bytes.length} bytes is malformed`;
    case "email": {
      const parts = n.value.split("@");
      return n.ascii && parts.length === 2 && parts[0] !== "" && isValidDnsName(parts[1], false) ? null : `rfc822Name '${clip(n.value)}' is malformed`;
    }
    case "uri":
      return uriHost(n.value) === null ? `URI '${clip(n.value)}' has no host to check against constraints` : null;
    default:
      return null;
  }
}
function within(name, base) {
  if (base.startsWith(".")) return name.endsWith(base);
  return base === "" || name === base || name.endsWith("." + base);
}
function matches(c, n, mode) {
  if (c.type === "dns" && n.type === "dns") {
    const base = c.value.toLowerCase();
    const name = n.value.toLowerCase();
    if (!name.startsWith("*.")) return within(name, base);
    const rest = name.slice(2);
    if (within(rest, base)) return true;
    if (mode === "permitted") return false;
    const dot = base.indexOf(".");
    return dot > 0 && base.slice(dot + 1) === rest;
  }
  if (c.type === "ip" && n.type === "ip") {
    const len = n.bytes.length;
    if (c.bytes.length !== len * 2) return false;
    for (let i = 0; i < len; i++) {
      const m = c.bytes[len + i];
      if ((n.bytes[i] & m) !== (c.bytes[i] & m)) return false;
    }
    return true;
  }
  if (c.type === "email" && n.type === "email") {
    const at = n.value.indexOf("@");
    const local = n.value.slice(0, at);
    const host = n.value.slice(at + 1).toLowerCase();
    const cv = c.value;
    if (cv.includes("@")) {
      const cat = cv.indexOf("@");
      return cv.slice(0, cat) === local && cv.slice(cat + 1).toLowerCase() === host;
    }
    if (cv.startsWith(".")) return host.endsWith(cv.toLowerCase());
    return host === cv.toLowerCase();
  }
  if (c.type === "uri" && n.type === "uri") {
    const host = uriHost(n.value);
    if (host === null) return false;
    const cv = c.value.toLowerCase();
    return cv.startsWith(".") ? host.endsWith(cv) : host === cv;
  }
  if (c.type === "dn" && n.type === "dn") return dnWithin(n.name, c.name);
  return false;
}
function dnWithin(name, base) {
  if (base.rdns.length > name.rdns.length) return false;
  for (let i = 0; i < base.rdns.length; i++) {
    const a = base.rdns[i];
    const b = name.rdns[i];
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) if (a[j].oid !== b[j].oid || a[j].norm !== b[j].norm) return false;
  }
  return true;
}
function uriHost(uri) {
  const m = uri.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i);
  if (!m || !m[1]) return null;
  return m[1].toLowerCase();
}
function describe(n) {
  switch (n.type) {
    case "dns":
      return `DNS:${clip(n.value) || "(any)"}`;
    case "ip":
      return n.bytes.length === 8 || n.bytes.length === 32 ? `IP:${formatIp(n.bytes.subarray(0, n.bytes.length / 2))}/${formatIp(n.bytes.subarray(n.bytes.length / 2))}` : `IP:${formatIp(n.bytes)}`;
    case "email":
      return `email:${clip(n.value)}`;
    case "uri":
      return `URI:${clip(n.value)}`;
    case "dn":
      return `DN:${clip(n.name.rdns.map((r) => r.map((a) => a.text ?? a.norm).join("+")).join(","))}`;
    default:
      return `otherName(tag 0x${n.tag.toString(16)})`;
  }
}

// src/x509/verify/verify.ts
import { domainToASCII as domainToASCII2 } from "node:url";
var NAME_CONSTRAINT_BUDGET = 1 << 18;
function verifyChain(leaf, intermediates, anchors, opts) {
  const limits = {
    ...DEFAULT_LIMITS,
    ...opts.maxDepth !== void 0 ? { maxIntermediates: Math.max(0, opts.maxDepth) } : {}
  };
  const budget = { remaining: NAME_CONSTRAINT_BUDGET };
  const outcome = buildPaths(leaf, intermediates, anchors, limits, (path) => {
    const problems2 = checkPath(path, opts, budget);
    return { ok: problems2.length === 0, result: problems2 };
  });
  if (outcome.accepted) {
    const anchor = outcome.accepted[outcome.accepted.length - 1];
    return {
      trusted: true,
      anchor: anchor.anchorId,
      path: outcome.accepted.map((n) => n.record.sha256),
      problems: [],
      tried: outcome.tried
    };
  }
  if (outcome.rejected.length > 0) {
    let best = outcome.rejected[0];
    for (const r of outcome.rejected) if (r.result.length < best.result.length) best = r;
    const problems2 = [...best.result];
    if (outcome.exhausted) problems2.push(budgetProblem(leaf, outcome.work));
    const anchor = best.path[best.path.length - 1];
    return {
      trusted: false,
      anchor: anchor.anchorId,
      path: best.path.map((n) => n.record.sha256),
      problems: problems2,
      tried: outcome.tried
    };
  }
  const dead = outcome.deadEnd;
  const problems = [];
  if (anchors.length === 0)
    problems.push({
      code: "untrusted",
      message: "no trust anchors were given to validate against",
      certificate: null
    });
  else if (outcome.exhausted) problems.push(budgetProblem(leaf, outcome.work));
  else if (dead)
    problems.push(deadEndProblem(dead.reason, intermediates.length, anchors.length, limits.maxIntermediates));
  else
    problems.push({
      code: "untrusted",
      message: "no path to a trust anchor was found",
      certificate: leaf.sha256
    });
  return {
    trusted: false,
    anchor: null,
    path: dead ? dead.path.map((n) => n.record.sha256) : [leaf.sha256],
    problems,
    tried: outcome.tried
  };
}
function budgetProblem(leaf, work) {
  return {
    code: "untrusted",
    message: `path building gave up after ${work.signatureChecks} signature checks and ${work.steps} path steps without reaching a trust anchor: too many candidate issuers (work bound reached)`,
    certificate: leaf.sha256
  };
}
function deadEndProblem(d, nInter, nAnchors, maxDepth) {
  const sha = d.node.record.sha256;
  const who = label(d.node);
  const issuer = clip(d.node.record.issuer?.dn ?? "");
  switch (d.kind) {
    case "no-issuer":
      if (d.node.facts.fatal)
        return { code: "unsupported", message: `${who}: ${d.node.facts.fatal}`, certificate: sha };
      return {
        code: "incomplete",
        message: `${who} was issued by '${issuer}', which is neither among the ${nInter} supplied intermediate(s) nor one of the ${nAnchors} trust anchor(s)`,
        certificate: sha
      };
    case "self-signed-untrusted":
      return {
        code: "untrusted",
        message: `the chain ends at self-issued ${who}, which is not a trust anchor`,
        certificate: sha
      };
    case "bad-signature":
      return {
        code: "signature",
        message: `${who} names issuer '${issuer}', but its signature does not verify with the key of any of the ${d.candidates} certificate(s) of that name`,
        certificate: sha
      };
    case "loop":
      return {
        code: "untrusted",
        message: `the only issuers of ${who} are already on the path (a loop); no path reaches a trust anchor`,
        certificate: sha
      };
    case "depth":
      return {
        code: "depth",
        message: `reaching a trust anchor needs more than ${maxDepth} intermediate(s); ${who} exceeds the limit`,
        certificate: sha
      };
    case "budget":
      return {
        code: "untrusted",
        message: `path building stopped at ${who}: too many candidate issuers (work bound reached)`,
        certificate: sha
      };
  }
}
function label(n) {
  const dn = n.record.subject?.dn || n.facts.subject.rdns.map((r) => r.map((a) => a.text ?? a.norm).join("+")).join(",");
  return `'${clip(dn || "(empty subject)")}'`;
}
var ANY_EKU = EKU_OID.anyExtendedKeyUsage;
function purposeOid(p) {
  return EKU_OID[p] ?? p;
}
function checkPath(path, opts, budget = { remaining: NAME_CONSTRAINT_BUDGET }) {
  const problems = [];
  const c = {
    path,
    opts,
    strict: opts.profile === "strict",
    purpose: opts.purpose ? purposeOid(opts.purpose) : null,
    nowSec: Math.floor(opts.now.getTime() / 1e3) * 1e3,
    problems,
    add: (code, n, message) => problems.push({ code, message: `${label(n)}: ${message}`, certificate: n.record.sha256 })
  };
  for (let i = 0; i < path.length; i++) {
    const f = path[i].facts;
    if (f.fatal) {
      c.add("unsupported", path[i], f.fatal);
      continue;
    }
    encodingProblems(c, i);
    validityProblems(c, i);
    nameProblems(c, i);
    caProblems(c, i);
    ekuProblems(c, i);
  }
  leafProblems(c);
  nameConstraintProblems(c, budget);
  return problems;
}
function isAnchor(c, i) {
  return i === c.path.length - 1 && c.path[i].anchorId !== null;
}
function encodingProblems(c, i) {
  const n = c.path[i];
  const f = n.facts;
  const anchor = isAnchor(c, i);
  for (const e of f.errors) c.add("unsupported", n, e);
  if (c.strict) {
    for (const e of f.profileErrors) c.add("unsupported", n, e);
    if (f.version !== 3 && !anchor)
      c.add("unsupported", n, `is an X.509 v${f.version} certificate; only v3 is accepted`);
    if (!anchor || i === 0) serialProblems(f).forEach((m) => c.add("unsupported", n, m));
  }
  if (c.strict) keyProblems(f).forEach((m) => c.add("unsupported", n, m));
  else if (f.spki.keyError) c.add("unsupported", n, f.spki.keyError);
  if (i < c.path.length - 1) signatureProblems(f, c.strict).forEach((m) => c.add("signature", n, m));
}
function validityProblems(c, i) {
  const n = c.path[i];
  const f = n.facts;
  if (f.notBefore > c.nowSec)
    c.add("not-yet-valid", n, `is not valid before ${new Date(f.notBefore).toISOString()}`);
  if (f.notAfter < c.nowSec)
    c.add(i === 0 ? "expired" : "expired-ca", n, `expired at ${new Date(f.notAfter).toISOString()}`);
}
function nameProblems(c, i) {
  const n = c.path[i];
  const f = n.facts;
  const strict = c.strict;
  const anchor = isAnchor(c, i);
  if (f.issuer.empty) c.add("unsupported", n, "has an empty issuer name");
  const ca = f.basicConstraints?.ca === true;
  if (ca && f.subject.empty) c.add("unsupported", n, "is a CA certificate with an empty subject name");
  if (strict && f.subject.empty && !(f.san && f.sanCritical))
    c.add("unsupported", n, "has an empty subject, so its subjectAltName must be present and critical");
  if (strict && i === 0 && !f.subject.empty && f.san && f.sanCritical)
    c.add("unsupported", n, "marks subjectAltName critical although its subject is not empty");
  if (strict && !anchor && !f.selfIssued && !f.aki?.keyId)
    c.add(
      "unsupported",
      n,
      "lacks the authorityKeyIdentifier keyIdentifier required of certificates that are not self-issued"
    );
  if (strict && anchor && f.selfIssued && f.aki) {
    if (!f.aki.keyId)
      c.add("unsupported", n, "is self-issued and has an authorityKeyIdentifier without keyIdentifier");
    if (f.aki.hasIssuer || f.aki.hasSerial)
      c.add("unsupported", n, "is self-issued but its authorityKeyIdentifier names an issuer or serial");
    if (f.aki.keyId && f.ski && !f.aki.keyId.equals(f.ski))
      c.add(
        "unsupported",
        n,
        "is self-issued but its authorityKeyIdentifier differs from its subjectKeyIdentifier"
      );
  }
  if (strict && ca && !f.ski) c.add("unsupported", n, "is a CA certificate without subjectKeyIdentifier");
}
function caProblems(c, i) {
  const n = c.path[i];
  const f = n.facts;
  const ca = f.basicConstraints?.ca === true;
  const ku = f.keyUsage;
  if (ca && ku && !ku.has("keyCertSign"))
    c.add("basic-constraints", n, "asserts cA but its keyUsage does not allow keyCertSign");
  if (!ca && ku?.has("keyCertSign")) c.add("key-usage", n, "allows keyCertSign in keyUsage but is not a CA");
  if (!ca && f.extensions.has(EXTENSION_OIDS.nameConstraints))
    c.add("name-constraints", n, "carries nameConstraints but is not a CA");
  if (i === 0) return;
  const v1Anchor = isAnchor(c, i) && f.version < 3;
  if (!v1Anchor) {
    if (!f.basicConstraints)
      c.add("basic-constraints", n, "issues certificates but has no basicConstraints, so it is not a CA");
    else if (!f.basicConstraints.ca)
      c.add("basic-constraints", n, "issues certificates but basicConstraints says it is not a CA");
    else if (c.strict && !f.basicConstraints.critical)
      c.add("basic-constraints", n, "is a CA but its basicConstraints is not critical");
  }
  const pathLen = f.basicConstraints?.pathLen;
  if (pathLen != null) {
    let below = 0;
    for (let j = 1; j < i; j++) if (!c.path[j].facts.selfIssued) below++;
    if (below > pathLen)
      c.add(
        "path-length",
        n,
        `allows ${pathLen} intermediate(s) below it (pathLenConstraint), but the path has ${below}`
      );
  }
}
function ekuProblems(c, i) {
  const n = c.path[i];
  const eku = n.facts.eku;
  if (!c.purpose || !eku) return;
  if (eku.includes(c.purpose) || eku.includes(ANY_EKU)) return;
  const purpose = clip(c.opts.purpose);
  c.add(
    "eku",
    n,
    i === 0 ? `extendedKeyUsage does not allow ${purpose} (has ${eku.map(ekuName).join(", ")})` : `restricts issued certificates to ${eku.map(ekuName).join(", ")}, which excludes ${purpose}`
  );
}
function leafProblems(c) {
  const leaf = c.path[0];
  const lf = leaf.facts;
  if (lf.fatal) return;
  if (c.opts.keyUsage?.length && lf.keyUsage) {
    const missing = c.opts.keyUsage.filter((k) => !lf.keyUsage.has(k));
    if (missing.length)
      c.add("key-usage", leaf, `keyUsage does not allow ${missing.map((m) => clip(m)).join(", ")}`);
  }
  if (c.opts.hostname) {
    const why = matchPeerName(lf.san, c.opts.hostname);
    if (why) c.add("name-mismatch", leaf, why);
    const cn = commonNameProblem(lf);
    if (cn) c.add("name-mismatch", leaf, cn);
  }
}
function nameConstraintProblems(c, budget) {
  for (let i = 1; i < c.path.length; i++) {
    const ca = c.path[i];
    if (ca.facts.fatal) continue;
    const nc = nameConstraintsOf(ca.facts, c.strict);
    if (nc === null) continue;
    if (typeof nc === "string") {
      c.add("name-constraints", ca, nc);
      continue;
    }
    for (let j = i - 1; j >= 0; j--) {
      const sub = c.path[j];
      if (sub.facts.fatal || j > 0 && sub.facts.selfIssued) continue;
      const why = checkNameConstraints(nc, sub.facts, budget);
      if (why) {
        c.problems.push({
          code: "name-constraints",
          message: `${label(sub)}: ${why}, per the name constraints of ${label(ca)}`,
          certificate: sub.record.sha256
        });
        break;
      }
    }
  }
}
function ekuName(oid) {
  return EXTENDED_KEY_USAGES[oid] ?? oid;
}
function serialProblems(f) {
  const s = f.serial;
  const out = [];
  if (s.length === 0) return ["has an empty serial number"];
  if (s[0] & 128) out.push("has a negative serial number");
  else if (s.every((b) => b === 0)) out.push("has serial number zero");
  if (s.length > 1 && (s[0] === 0 && !(s[1] & 128) || s[0] === 255 && s[1] & 128))
    out.push("has a non-minimally encoded serial number");
  const content = s[0] === 0 ? s.length - 1 : s.length;
  if (content > 20) out.push(`has a ${content}-octet serial number (at most 20 are allowed)`);
  return out;
}
var GOOD_CURVES = /* @__PURE__ */ new Set(["P-256", "P-384", "P-521"]);
var COMMON_NAME = attributeOid("CN");
function keyProblems(f) {
  const k = f.spki;
  if (k.curveOid === "explicit")
    return ["uses an EC key with explicit curve parameters (only named curves are accepted)"];
  if (k.curveOid && !GOOD_CURVES.has(CURVES[k.curveOid]?.[0] ?? ""))
    return [`uses an EC key on curve ${k.curveOid}, which is not P-256, P-384 or P-521`];
  if (k.keyError) return [k.keyError];
  const type = k.key?.asymmetricKeyType;
  if (type === "dsa") return ["uses a DSA key, which is not accepted"];
  if ((type === "rsa" || type === "rsa-pss") && k.rsaBits !== null) {
    if (k.rsaBits < 2048) return [`uses a ${k.rsaBits}-bit RSA key (at least 2048 bits are required)`];
    if (k.rsaBits % 8 !== 0) return [`uses a ${k.rsaBits}-bit RSA key (the size must be a multiple of 8)`];
  }
  return [];
}
function signatureProblems(f, weak) {
  const out = [];
  if (f.sigAlgMismatch) out.push("the signature algorithm inside the signed part differs from the outer one");
  const s = f.sigScheme;
  if (s.kind === "unknown") out.push(`is signed with unsupported algorithm ${clip(s.name)}`);
  else if (!weak) return out;
  else if (s.kind === "dsa") out.push("is signed with DSA, which is not accepted");
  else if (s.hash === "md5" || s.hash === "sha1")
    out.push(
      `is signed with ${s.hash.toUpperCase()}, which is no longer accepted for certificate signatures`
    );
  return out;
}
function commonNameProblem(f) {
  const dns = /* @__PURE__ */ new Set();
  const ips = /* @__PURE__ */ new Map();
  for (const n of f.san ?? []) {
    if (n.type === "dns") dns.add(n.value);
    if (n.type === "ip") ips.set(n.bytes.toString("hex"), formatIp(n.bytes));
  }
  for (const rdn of f.subject.rdns) {
    for (const ava of rdn) {
      if (ava.oid !== COMMON_NAME || ava.text === null) continue;
      const cn = ava.text;
      if (dns.has(cn) || [...ips.values()].includes(cn)) continue;
      const ip = looseIp(cn);
      const ipText = ip ? ips.get(ip.toString("hex")) : void 0;
      if (ipText)
        return `subject CN '${clip(cn)}' writes IP address ${ipText} in a non-canonical form (CA/B BR 7.1.4.3)`;
      const ascii = domainToASCII2(cn.toLowerCase());
      for (const d of dns) {
        if (ascii !== "" && ascii === d.toLowerCase())
          return `subject CN '${clip(cn)}' is not a character-for-character copy of subjectAltName '${clip(d)}' (CA/B BR 7.1.4.3)`;
      }
    }
  }
  return null;
}
function looseIp(text) {
  const strict = parseIp(text.toLowerCase());
  if (strict) return strict;
  const parts = text.split(".");
  if (parts.length < 1 || parts.length > 4) return null;
  const nums = [];
  for (const p of parts) {
    let v;
    if (/^0x[0-9a-f]+$/i.test(p)) v = parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = parseInt(p, 10);
    else return null;
    nums.push(v);
  }
  const lastMax = 2 ** (8 * (5 - nums.length)) - 1;
  if (nums.slice(0, -1).some((v) => v > 255) || nums[nums.length - 1] > lastMax) return null;
  let value = nums[nums.length - 1];
  for (let i = 0; i < nums.length - 1; i++) value += nums[i] * 2 ** (8 * (3 - i));
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

// src/x509/revocation/pointers.ts
var import_asn1_schema = __toESM(require_cjs(), 1);
var import_asn1_x509 = __toESM(require_cjs2(), 1);
var TLS_FEATURE_OID = "1.3.6.1.5.5.7.1.24";
var STATUS_REQUEST = 5;
function uriOf(n) {
  return n.uniformResourceIdentifier ?? null;
}
function describe2(n) {
  if (n.directoryName) return "a directoryName";
  if (n.dNSName !== void 0) return "a dNSName";
  if (n.rfc822Name !== void 0) return "an rfc822Name";
  if (n.iPAddress !== void 0) return "an iPAddress";
  return "a name that is not a URI";
}
function revocationPointers(f) {
  const out = {
    ocsp: [],
    caIssuers: [],
    crl: [],
    other: [],
    mustStaple: false,
    problems: []
  };
  const aia = f.extensions.get(EXTENSION_OIDS.authorityInfoAccess);
  if (aia) {
    try {
      for (const ad of import_asn1_schema.AsnConvert.parse(aia.value, import_asn1_x509.AuthorityInfoAccessSyntax)) {
        const uri = uriOf(ad.accessLocation);
        const list = ad.accessMethod === import_asn1_x509.id_ad_ocsp ? out.ocsp : ad.accessMethod === import_asn1_x509.id_ad_caIssuers ? out.caIssuers : null;
        if (!list) continue;
        if (uri !== null) list.push(uri);
        else
          out.other.push(
            `${ad.accessMethod === import_asn1_x509.id_ad_ocsp ? "OCSP" : "caIssuers"} location is ${describe2(ad.accessLocation)}`
          );
      }
    } catch (e) {
      out.problems.push(`authorityInfoAccess cannot be decoded (${e.message})`);
    }
  }
  const cdp = f.extensions.get(EXTENSION_OIDS.crlDistributionPoints);
  if (cdp) {
    try {
      for (const dp of import_asn1_schema.AsnConvert.parse(cdp.value, import_asn1_x509.CRLDistributionPoints)) {
        if (dp.reasons) {
          out.other.push("a CRL distribution point limited to some revocation reasons");
          continue;
        }
        if (dp.cRLIssuer) {
          out.other.push("a CRL distribution point whose CRL another authority signs (indirect CRL)");
          continue;
        }
        const full = dp.distributionPoint?.fullName;
        if (!full) {
          out.other.push("a CRL distribution point without a full name");
          continue;
        }
        for (const n of full) {
          const uri = uriOf(n);
          if (uri !== null) out.crl.push(uri);
          else out.other.push(`a CRL distribution point named by ${describe2(n)}`);
        }
      }
    } catch (e) {
      out.problems.push(`cRLDistributionPoints cannot be decoded (${e.message})`);
    }
  }
  const feature = f.extensions.get(TLS_FEATURE_OID);
  if (feature) {
    try {
      out.mustStaple = tlsFeatures(feature.value).includes(STATUS_REQUEST);
    } catch (e) {
      out.problems.push(`the TLS feature extension cannot be decoded (${e.message})`);
    }
  }
  out.ocsp = [...new Set(out.ocsp)];
  out.caIssuers = [...new Set(out.caIssuers)];
  out.crl = [...new Set(out.crl)];
  return out;
}
function tlsFeatures(value) {
  const seq = expectTlv(value, 0, value.length, TAG.SEQUENCE, "TLS feature SEQUENCE");
  if (seq.end !== value.length) throw new DerError("trailing data after the TLS feature list");
  return children(value, seq).map((t) => {
    const n = t.tag === TAG.INTEGER ? smallInteger(value, t) : null;
    if (n === null) throw new DerError(`expected a small INTEGER at offset ${t.start}`);
    return n;
  });
}

// src/x509/revocation/ocsp.ts
var import_asn1_schema2 = __toESM(require_cjs(), 1);
var import_asn1_x5092 = __toESM(require_cjs2(), 1);
var import_asn1_ocsp = __toESM(require_cjs3(), 1);
import { createHash as createHash2 } from "node:crypto";

// src/x509/revocation/signed.ts
function checkSignature(algDer, data, signature, key) {
  let scheme;
  try {
    const t = readTlv(algDer, 0, algDer.length);
    if (t.tag !== TAG.SEQUENCE || t.end !== algDer.length) throw new DerError("not an AlgorithmIdentifier");
    scheme = decodeSignatureAlgorithm(algDer, t).scheme;
  } catch (e) {
    return `its signature algorithm cannot be read (${e.message})`;
  }
  if (scheme.kind === "unknown") return `it is signed with an unsupported algorithm (${scheme.name})`;
  if (scheme.kind === "dsa") return "it is signed with DSA, which is not accepted";
  if (scheme.hash === "sha1" || scheme.hash === "md5")
    return `it is signed with ${scheme.hash.toUpperCase()}, which is no longer accepted`;
  return verifySignature(scheme, data, signature, key) ? null : "its signature does not verify";
}

// src/x509/revocation/types.ts
var DEFAULT_SKEW_MS = 5 * 6e4;
function isStale(a, now, skewMs = DEFAULT_SKEW_MS) {
  return a.nextUpdate !== null && now > a.nextUpdate + skewMs;
}

// src/x509/revocation/ocsp.ts
var SHA1_OID = "1.3.14.3.2.26";
var MAX_OCSP_RESPONSE_BYTES = 1024 * 1024;
function publicKeyBits(f) {
  const spki = readTlv(f.spki.raw, 0);
  const alg = expectTlv(f.spki.raw, spki.body, spki.end, TAG.SEQUENCE, "AlgorithmIdentifier");
  const bits = bitString(
    f.spki.raw,
    expectTlv(f.spki.raw, alg.end, spki.end, TAG.BIT_STRING, "subjectPublicKey")
  );
  return f.spki.raw.subarray(bits.start, bits.end);
}
function digest(hash, data) {
  return createHash2(hash).update(data).digest();
}
function serialKey(b) {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.buffer, b.byteOffset + i, b.length - i).toString("hex");
}
function certIdFor(cert, issuer) {
  return new import_asn1_ocsp.CertID({
    hashAlgorithm: new import_asn1_x5092.AlgorithmIdentifier({ algorithm: SHA1_OID, parameters: null }),
    issuerNameHash: new import_asn1_schema2.OctetString(digest("sha1", cert.issuer.raw)),
    issuerKeyHash: new import_asn1_schema2.OctetString(digest("sha1", publicKeyBits(issuer))),
    serialNumber: new Uint8Array(cert.serial).buffer
  });
}
function ocspRequest(cert, issuer) {
  const req = new import_asn1_ocsp.OCSPRequest({
    tbsRequest: new import_asn1_ocsp.TBSRequest({ requestList: [new import_asn1_ocsp.Request({ reqCert: certIdFor(cert, issuer) })] })
  });
  return Buffer.from(import_asn1_schema2.AsnConvert.serialize(req));
}
function matchesCertId(id, cert, issuer) {
  const hash = HASH_OIDS[id.hashAlgorithm.algorithm];
  if (!hash || hash === "md5") return false;
  return digest(hash, cert.issuer.raw).equals(Buffer.from(id.issuerNameHash.buffer)) && digest(hash, publicKeyBits(issuer)).equals(Buffer.from(id.issuerKeyHash.buffer)) && serialKey(new Uint8Array(id.serialNumber)) === serialKey(cert.serial);
}
var STATUS_NAMES = {
  [import_asn1_ocsp.OCSPResponseStatus.malformedRequest]: "malformedRequest (the responder could not read the request)",
  [import_asn1_ocsp.OCSPResponseStatus.internalError]: "internalError",
  [import_asn1_ocsp.OCSPResponseStatus.tryLater]: "tryLater (the responder is busy)",
  [import_asn1_ocsp.OCSPResponseStatus.sigRequired]: "sigRequired (the responder wants signed requests)",
  [import_asn1_ocsp.OCSPResponseStatus.unauthorized]: "unauthorized (the responder does not serve this CA)"
};
function reasonName(code) {
  if (code === void 0) return null;
  return import_asn1_x5092.CRLReasons[code] ?? `reason ${code}`;
}
function readEnvelope(b) {
  const outer = expectTlv(b, 0, b.length, TAG.SEQUENCE, "OCSPResponse");
  const st = expectTlv(b, outer.body, outer.end, 10, "responseStatus ENUMERATED");
  const status = smallInteger(b, { ...st, tag: TAG.INTEGER });
  if (status === null) throw new DerError("bad responseStatus");
  if (st.end === outer.end) return { status, type: null, response: null };
  const wrapped = expectTlv(b, st.end, outer.end, 160, "responseBytes");
  const seq = expectTlv(b, wrapped.body, wrapped.end, TAG.SEQUENCE, "ResponseBytes");
  const type = oidAt(b, expectTlv(b, seq.body, seq.end, TAG.OID, "responseType"));
  const resp = expectTlv(b, readTlv(b, seq.body, seq.end).end, seq.end, TAG.OCTET_STRING, "response");
  return { status, type, response: b.subarray(resp.body, resp.end) };
}
function keyHash(b, t) {
  if (t.tag !== TAG.OCTET_STRING) throw new DerError("expected KeyHash OCTET STRING");
  return b.subarray(t.body, t.end);
}
function basicLayout(b) {
  const outer = expectTlv(b, 0, b.length, TAG.SEQUENCE, "BasicOCSPResponse");
  const tbs = expectTlv(b, outer.body, outer.end, TAG.SEQUENCE, "ResponseData");
  const alg = expectTlv(b, tbs.end, outer.end, TAG.SEQUENCE, "signatureAlgorithm");
  const sig = bitString(b, expectTlv(b, alg.end, outer.end, TAG.BIT_STRING, "signature"));
  const certs = [];
  const after = alg.end < outer.end ? readTlv(b, alg.end, outer.end) : null;
  if (after && after.end < outer.end) {
    const wrapped = readTlv(b, after.end, outer.end);
    if (wrapped.tag === 160) {
      const list2 = expectTlv(b, wrapped.body, wrapped.end, TAG.SEQUENCE, "certs");
      for (const c of children(b, list2)) certs.push(b.subarray(c.start, c.end));
    }
  }
  let rid = readTlv(b, tbs.body, tbs.end);
  if (rid.tag === 160) rid = readTlv(b, rid.end, tbs.end);
  if (rid.tag !== 161 && rid.tag !== 162) throw new DerError("expected a ResponderID");
  const ridValue = readTlv(b, rid.body, rid.end);
  const producedAt = expectTlv(b, rid.end, tbs.end, TAG.GeneralizedTime, "producedAt");
  const list = expectTlv(b, producedAt.end, tbs.end, TAG.SEQUENCE, "responses");
  return {
    tbs: b.subarray(tbs.start, tbs.end),
    responderName: rid.tag === 161 ? decodeName(b, ridValue) : null,
    responderKeyHash: rid.tag === 162 ? keyHash(b, ridValue) : null,
    responses: children(b, list).map((r) => b.subarray(r.start, r.end)),
    sigAlg: b.subarray(alg.start, alg.end),
    signature: b.subarray(sig.start, sig.end),
    certs
  };
}
function nameText(n) {
  return clip(n.rdns.map((r) => r.map((a) => a.text ?? a.norm).join("+")).join(", ") || "(empty name)");
}
function subjectText(f) {
  return nameText(f.subject);
}
function responderKey(layout, issuer, now, skewMs) {
  const byKey = layout.responderKeyHash;
  const issuerKeyHash = digest("sha1", publicKeyBits(issuer));
  const isResponder = (f) => byKey ? digest("sha1", publicKeyBits(f)).equals(byKey) : layout.responderName?.key === f.subject.key;
  if (byKey ? issuerKeyHash.equals(byKey) : isResponder(issuer)) return { key: issuer, signer: "issuer" };
  const candidates = layout.certs.map((der) => decodeCertificate(Buffer.from(der)).facts).filter((f) => !f.fatal && isResponder(f));
  if (candidates.length === 0) {
    const who = layout.responderName ? `'${nameText(layout.responderName)}'` : "a key";
    return {
      problem: `the response is signed by ${who} that is not the issuer, and the response carries no certificate for that responder`
    };
  }
  const why = [];
  for (const f of candidates) {
    if (f.issuer.key !== issuer.subject.key || !signatureValid(f, issuer)) {
      why.push(`responder certificate '${subjectText(f)}' was not issued by the certificate's issuer`);
      continue;
    }
    if (!f.eku?.includes(import_asn1_ocsp.id_kp_OCSPSigning)) {
      why.push(`responder certificate '${subjectText(f)}' lacks the OCSPSigning extended key usage`);
      continue;
    }
    if (f.notBefore > now + skewMs || f.notAfter < now - skewMs) {
      why.push(`responder certificate '${subjectText(f)}' is outside its validity period`);
      continue;
    }
    return { key: f, signer: "delegated" };
  }
  return { problem: why.join("; ") };
}
function verifyOcspResponse(der, check) {
  const skewMs = check.skewMs ?? DEFAULT_SKEW_MS;
  const { cert, issuer, now } = check;
  if (issuer.fatal || !issuer.spki.key)
    return { ok: false, problem: "the issuer's public key cannot be read" };
  let envelope;
  try {
    envelope = readEnvelope(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  } catch (e) {
    return { ok: false, problem: `the answer is not an OCSP response (${clip(e.message, 100)})` };
  }
  if (envelope.status !== import_asn1_ocsp.OCSPResponseStatus.successful)
    return {
      ok: false,
      problem: `the responder answered ${STATUS_NAMES[envelope.status] ?? `status ${envelope.status}`}`
    };
  if (!envelope.type || !envelope.response)
    return { ok: false, problem: "the response is successful but carries no response" };
  if (envelope.type !== import_asn1_ocsp.id_pkix_ocsp_basic)
    return { ok: false, problem: `the response has unsupported type ${clip(envelope.type)}` };
  let layout;
  try {
    layout = basicLayout(envelope.response);
  } catch (e) {
    return {
      ok: false,
      problem: `the basic OCSP response cannot be read (${clip(e.message, 100)})`
    };
  }
  const signer = responderKey(layout, issuer, now, skewMs);
  if ("problem" in signer) return { ok: false, problem: signer.problem };
  const bad = checkSignature(layout.sigAlg, layout.tbs, layout.signature, signer.key.spki.key);
  if (bad) return { ok: false, problem: `the response cannot be trusted: ${bad}` };
  let single;
  try {
    for (const der2 of layout.responses) {
      const r = import_asn1_schema2.AsnConvert.parse(der2, import_asn1_ocsp.SingleResponse);
      if (matchesCertId(r.certID, cert, issuer)) {
        single = r;
        break;
      }
    }
  } catch (e) {
    return { ok: false, problem: `a SingleResponse cannot be read (${clip(e.message, 100)})` };
  }
  if (!single)
    return {
      ok: false,
      problem: "the response does not answer for this certificate (no matching CertID)"
    };
  const thisUpdate = single.thisUpdate.getTime();
  if (!Number.isFinite(thisUpdate))
    return { ok: false, problem: "the response has an unreadable thisUpdate" };
  if (thisUpdate > now + skewMs)
    return {
      ok: false,
      problem: `the response claims to be from the future (thisUpdate ${new Date(thisUpdate).toISOString()})`
    };
  const nextUpdate = single.nextUpdate ? single.nextUpdate.getTime() : null;
  if (nextUpdate !== null && (!Number.isFinite(nextUpdate) || nextUpdate < thisUpdate))
    return { ok: false, problem: "the response has a nextUpdate before its thisUpdate" };
  const s = single.certStatus;
  const answer = s.revoked ? {
    status: "revoked",
    thisUpdate,
    nextUpdate,
    revokedAt: s.revoked.revocationTime.getTime(),
    reason: reasonName(s.revoked.revocationReason?.reason)
  } : s.good !== void 0 ? { status: "good", thisUpdate, nextUpdate, revokedAt: null, reason: null } : { status: "unknown", thisUpdate, nextUpdate, revokedAt: null, reason: null };
  return { ok: true, answer, signer: signer.signer };
}

// src/x509/revocation/crl.ts
var import_asn1_schema3 = __toESM(require_cjs(), 1);
var import_asn1_x5093 = __toESM(require_cjs2(), 1);
var MAX_CRL_BYTES = 50 * 1024 * 1024;
var HOLD_INSTRUCTION = "2.5.29.23";
var KNOWN_ENTRY_EXTENSIONS = /* @__PURE__ */ new Set([import_asn1_x5093.id_ce_cRLReasons, import_asn1_x5093.id_ce_invalidityDate, HOLD_INSTRUCTION]);
var KNOWN_CRL_EXTENSIONS = /* @__PURE__ */ new Set([
  import_asn1_x5093.id_ce_cRLNumber,
  import_asn1_x5093.id_ce_deltaCRLIndicator,
  import_asn1_x5093.id_ce_issuingDistributionPoint,
  import_asn1_x5093.id_ce_authorityKeyIdentifier,
  import_asn1_x5093.id_ce_issuerAltName,
  import_asn1_x5093.id_ce_freshestCRL,
  import_asn1_x5093.id_pe_authorityInfoAccess
]);
var CrlError = class extends Error {
  name = "CrlError";
};
function serialKey2(b, start, end) {
  let i = start;
  while (i < end - 1 && b[i] === 0) i++;
  return b.toString("hex", i, end);
}
var isTime = (t) => t.tag === TAG.UTCTime || t.tag === TAG.GeneralizedTime;
function lengthOctets(n) {
  if (n < 128) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 255);
  return Buffer.from([128 | bytes.length, ...bytes]);
}
function parseCrl(input) {
  let der = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (der[0] !== TAG.SEQUENCE) {
    const text = der.toString("latin1");
    const block = text.includes("-----BEGIN") ? pemBlocks(text, "CRL").find((b) => b.label === "X509 CRL") : void 0;
    if (!block) throw new CrlError('not a CRL (neither DER nor a PEM "X509 CRL" block)');
    der = block.der;
  }
  try {
    return parseDer(der);
  } catch (e) {
    if (e instanceof CrlError) throw e;
    throw new CrlError(`not a readable CRL: ${clip(e.message, 120)}`);
  }
}
function parseDer(der) {
  const outer = expectTlv(der, 0, der.length, TAG.SEQUENCE, "CertificateList");
  if (outer.end !== der.length) throw new DerError("trailing data after the CRL");
  const tbs = expectTlv(der, outer.body, outer.end, TAG.SEQUENCE, "TBSCertList");
  const alg = expectTlv(der, tbs.end, outer.end, TAG.SEQUENCE, "signatureAlgorithm");
  const sigT = expectTlv(der, alg.end, outer.end, TAG.BIT_STRING, "signatureValue");
  if (sigT.end !== outer.end) throw new DerError("unexpected element after the signature");
  const sig = bitString(der, sigT);
  const fields = [];
  for (let p = tbs.body; p < tbs.end; ) {
    const t = readTlv(der, p, tbs.end);
    fields.push(t);
    p = t.end;
  }
  let i = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  const innerAlg = fields[i++];
  const issuerT = fields[i++];
  if (innerAlg?.tag !== TAG.SEQUENCE || issuerT?.tag !== TAG.SEQUENCE)
    throw new DerError("malformed TBSCertList");
  if (!fields[i] || !isTime(fields[i])) throw new DerError("thisUpdate missing");
  i++;
  if (fields[i] && isTime(fields[i])) i++;
  const revoked = fields[i]?.tag === TAG.SEQUENCE ? fields[i] : null;
  const kept = fields.filter((f) => f !== revoked).map((f) => der.subarray(f.start, f.end));
  const body = Buffer.concat(kept);
  const reduced = Buffer.concat([Buffer.from([TAG.SEQUENCE]), lengthOctets(body.length), body]);
  const list = import_asn1_schema3.AsnConvert.parse(reduced, import_asn1_x5093.TBSCertList);
  const crl = {
    version: (list.version ?? 0) + 1,
    issuer: decodeName(der, issuerT),
    thisUpdate: list.thisUpdate.getTime().getTime(),
    nextUpdate: list.nextUpdate ? list.nextUpdate.getTime().getTime() : null,
    entries: 0,
    tbs: der.subarray(tbs.start, tbs.end),
    sigAlg: der.subarray(alg.start, alg.end),
    innerSigAlg: der.subarray(innerAlg.start, innerAlg.end),
    signature: der.subarray(sig.start, sig.end),
    crlNumber: { present: false, critical: false },
    delta: false,
    idp: null,
    unknownCritical: [],
    entryProblems: [],
    index: /* @__PURE__ */ new Map(),
    der
  };
  for (const ext of list.crlExtensions ?? []) {
    if (ext.extnID === import_asn1_x5093.id_ce_cRLNumber) crl.crlNumber = { present: true, critical: ext.critical };
    else if (ext.extnID === import_asn1_x5093.id_ce_deltaCRLIndicator) crl.delta = true;
    else if (ext.extnID === import_asn1_x5093.id_ce_issuingDistributionPoint)
      crl.idp = import_asn1_schema3.AsnConvert.parse(ext.extnValue.buffer, import_asn1_x5093.IssuingDistributionPoint);
    if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(ext.extnID)) crl.unknownCritical.push(ext.extnID);
  }
  if (revoked) indexEntries(der, revoked, crl);
  return crl;
}
function indexEntries(der, list, crl) {
  const unknown = /* @__PURE__ */ new Set();
  let indirect = false;
  for (let p = list.body; p < list.end; ) {
    const entry = readTlv(der, p, list.end);
    if (entry.tag !== TAG.SEQUENCE) throw new DerError(`expected a revoked certificate entry at offset ${p}`);
    const serial = expectTlv(der, entry.body, entry.end, TAG.INTEGER, "userCertificate");
    const date = readTlv(der, serial.end, entry.end);
    if (!isTime(date)) throw new DerError(`expected revocationDate at offset ${date.start}`);
    if (date.end < entry.end) {
      const exts = expectTlv(der, date.end, entry.end, TAG.SEQUENCE, "crlEntryExtensions");
      for (let q = exts.body; q < exts.end; ) {
        const ext = expectTlv(der, q, exts.end, TAG.SEQUENCE, "Extension");
        const idT = expectTlv(der, ext.body, ext.end, TAG.OID, "extnID");
        const id = oidAt(der, idT);
        const next = readTlv(der, idT.end, ext.end);
        const critical = next.tag === TAG.BOOLEAN && next.end > next.body && der[next.body] !== 0;
        if (id === import_asn1_x5093.id_ce_certificateIssuer) indirect = true;
        else if (critical && !KNOWN_ENTRY_EXTENSIONS.has(id)) unknown.add(id);
        q = ext.end;
      }
    }
    crl.index.set(serialKey2(der, serial.body, serial.end), entry.start);
    crl.entries++;
    p = entry.end;
  }
  for (const id of unknown)
    crl.entryProblems.push(`an entry carries critical extension ${id}, which is not understood`);
  if (indirect)
    crl.entryProblems.push(
      "entries name other certificate issuers (an indirect CRL), which is not supported"
    );
}
function crlEntry(crl, serial) {
  const b = Buffer.from(serial.buffer, serial.byteOffset, serial.byteLength);
  const at = crl.index.get(serialKey2(b, 0, b.length));
  if (at === void 0) return null;
  const t = readTlv(crl.der, at);
  const entry = import_asn1_schema3.AsnConvert.parse(crl.der.subarray(t.start, t.end), import_asn1_x5093.RevokedCertificate);
  const reasonExt = entry.crlEntryExtensions?.find((e) => e.extnID === import_asn1_x5093.id_ce_cRLReasons);
  const code = reasonExt ? import_asn1_schema3.AsnConvert.parse(reasonExt.extnValue.buffer, import_asn1_x5093.CRLReason).reason : void 0;
  return { revokedAt: entry.revocationDate.getTime().getTime(), reason: reasonName(code) };
}
function crlIsFor(crl, cert) {
  return crl.issuer.key === cert.issuer.key;
}
function scopeProblem(crl, check) {
  const idp = crl.idp;
  if (!idp) return null;
  const ca = check.cert.basicConstraints?.ca === true;
  if (idp.onlyContainsUserCerts && ca) return "the CRL covers only end-entity certificates, and this is a CA";
  if (idp.onlyContainsCACerts && !ca) return "the CRL covers only CA certificates, and this is not one";
  if (idp.onlyContainsAttributeCerts) return "the CRL covers only attribute certificates";
  if (idp.onlySomeReasons) return "the CRL covers only some revocation reasons";
  if (idp.indirectCRL) return "the CRL is an indirect CRL, which is not supported";
  const names = (idp.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier).filter(Boolean);
  if (idp.distributionPoint && check.distributionPoints !== void 0) {
    if (names.length === 0 || !names.some((n) => check.distributionPoints.includes(n)))
      return "the CRL is for another distribution point than the one the certificate names";
  }
  return null;
}
function checkCrl(crl, check) {
  const { cert, issuer, now } = check;
  const skewMs = check.skewMs ?? DEFAULT_SKEW_MS;
  if (!crlIsFor(crl, cert))
    return { ok: false, problem: "the CRL is published by another authority than the certificate's issuer" };
  if (issuer.keyUsage && !issuer.keyUsage.has("cRLSign"))
    return { ok: false, problem: "the issuer's keyUsage does not allow cRLSign, so it cannot sign CRLs" };
  if (issuer.fatal || !issuer.spki.key)
    return { ok: false, problem: "the issuer's public key cannot be read" };
  if (!crl.sigAlg.equals(crl.innerSigAlg))
    return {
      ok: false,
      problem: "the signature algorithm inside the signed part differs from the outer one"
    };
  const bad = checkSignature(crl.sigAlg, crl.tbs, crl.signature, issuer.spki.key);
  if (bad) return { ok: false, problem: `the CRL cannot be trusted: ${bad}` };
  if (crl.unknownCritical.length)
    return {
      ok: false,
      problem: `the CRL has critical extension(s) ${crl.unknownCritical.join(", ")}, which are not understood`
    };
  if (crl.entryProblems.length)
    return { ok: false, problem: `the CRL cannot be used: ${crl.entryProblems.join("; ")}` };
  if (crl.delta) return { ok: false, problem: "the CRL is a delta CRL; a complete CRL is needed" };
  if (check.profile === "strict") {
    if (!crl.crlNumber.present)
      return { ok: false, problem: "the CRL has no CRLNumber extension (RFC 5280 5.2.3)" };
    if (crl.crlNumber.critical)
      return { ok: false, problem: "the CRL marks its CRLNumber critical (RFC 5280 5.2.3)" };
    if (crl.version !== 2) return { ok: false, problem: "the CRL is not a version 2 CRL" };
  }
  const scope = scopeProblem(crl, check);
  if (scope) return { ok: false, problem: scope };
  if (!Number.isFinite(crl.thisUpdate)) return { ok: false, problem: "the CRL has an unreadable thisUpdate" };
  if (crl.thisUpdate > now + skewMs)
    return {
      ok: false,
      problem: `the CRL claims to be from the future (thisUpdate ${new Date(crl.thisUpdate).toISOString()})`
    };
  if (crl.nextUpdate !== null && crl.nextUpdate < crl.thisUpdate)
    return { ok: false, problem: "the CRL has a nextUpdate before its thisUpdate" };
  const hit = crlEntry(crl, cert.serial);
  const base = { thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
  if (!hit || hit.reason === "removeFromCRL")
    return { ok: true, signer: "issuer", answer: { status: "good", ...base, revokedAt: null, reason: null } };
  return { ok: true, signer: "issuer", answer: { status: "revoked", ...base, ...hit } };
}

// src/evaluate/revocation/check.ts
function revocationPath(presented, anchors, helpers, now) {
  const leaf = presented[0];
  if (!leaf) return [];
  const rest = [...presented.slice(1), ...helpers];
  const result = verifyChain(leaf, rest, anchors, { now });
  const bySha = /* @__PURE__ */ new Map();
  for (const r of [leaf, ...rest]) bySha.set(r.sha256, r);
  const anchorSha = /* @__PURE__ */ new Set();
  for (const a of anchors) {
    bySha.set(a.record.sha256, a.record);
    anchorSha.add(a.record.sha256);
  }
  const path = [];
  for (const sha of result.path.length ? result.path : [leaf.sha256]) {
    const record = bySha.get(sha);
    if (!record) break;
    path.push({ record, anchor: anchorSha.has(sha) && path.length > 0 });
  }
  return path;
}
function isFinal(a, now, skewMs) {
  return a.status === "revoked" || a.status === "good" && !isStale(a, now, skewMs);
}
var iso = (ms) => ms === null ? null : new Date(ms).toISOString();
var isHttp = (url) => parseHttpUrl(url) !== null;
var RevocationStage = class {
  constructor(opts) {
    this.opts = opts;
    this.skewMs = opts.skewMs ?? DEFAULT_SKEW_MS;
    this.nowMs = opts.now.getTime();
    this.checkedAt = opts.now.toISOString();
  }
  opts;
  answers = /* @__PURE__ */ new Map();
  crls = /* @__PURE__ */ new Map();
  skewMs;
  nowMs;
  checkedAt;
  /** The evaluation time the stage judges answers at. */
  get now() {
    return this.opts.now;
  }
  /** Checks a path (leaf first). `staple` is the OCSP response a TLS server stapled for the leaf. */
  async checkPath(path, staple) {
    const deadline = Date.now() + this.opts.timeoutMs;
    const jobs = [];
    let stapleCheck = null;
    for (let i = 0; i < path.length; i++) {
      const node = path[i];
      if (node.anchor) break;
      const issuer = path[i + 1]?.record ?? null;
      if (!issuer && node.record.selfIssued) break;
      const facts = factsFor(node.record);
      const pointers = revocationPointers(facts);
      const issuerFacts = issuer ? factsFor(issuer) : null;
      if (i === 0 && staple) stapleCheck = this.checkStaple(staple, facts, issuerFacts);
      jobs.push(
        this.checkOne(node.record, facts, issuerFacts, pointers, i === 0 ? stapleCheck : null, deadline)
      );
    }
    return { checkedAt: this.checkedAt, checks: await Promise.all(jobs), staple: stapleCheck };
  }
  checkStaple(der, cert, issuer) {
    const none = {
      status: "unknown",
      thisUpdate: null,
      nextUpdate: null,
      reason: null,
      revokedAt: null
    };
    if (!issuer)
      return {
        ...none,
        problem: "the leaf's issuer is not known, so the stapled response cannot be verified"
      };
    const v = verifyOcspResponse(der, { cert, issuer, now: this.nowMs, skewMs: this.skewMs });
    if (!v.ok) return { ...none, problem: v.problem };
    const a = v.answer;
    return {
      status: a.status,
      thisUpdate: iso(a.thisUpdate),
      nextUpdate: iso(a.nextUpdate),
      reason: a.reason,
      revokedAt: iso(a.revokedAt),
      problem: a.status === "unknown" ? "the stapled response says the responder does not know the certificate" : null
    };
  }
  async checkOne(record, cert, issuer, pointers, staple, deadline) {
    const base = { certificate: record.sha256, mustStaple: pointers.mustStaple };
    const stapleAnswer = staple && !staple.problem ? staple : null;
    const stapleFinal = stapleAnswer && (stapleAnswer.status === "revoked" || !isStale(
      { nextUpdate: stapleAnswer.nextUpdate ? Date.parse(stapleAnswer.nextUpdate) : null },
      this.nowMs,
      this.skewMs
    ));
    const fromStaple = (problems) => ({
      ...base,
      status: stapleAnswer.status,
      source: "staple",
      checkedAt: this.checkedAt,
      thisUpdate: stapleAnswer.thisUpdate,
      nextUpdate: stapleAnswer.nextUpdate,
      reason: stapleAnswer.reason,
      revokedAt: stapleAnswer.revokedAt,
      url: null,
      problems,
      unchecked: null
    });
    if (stapleFinal) return fromStaple([]);
    const stapleProblems = staple?.problem ? [`stapled OCSP response: ${staple.problem}`] : [];
    const fetched = await this.fetched(record, cert, issuer, pointers, deadline);
    if (stapleAnswer && (fetched.status === "unknown" || fetched.unchecked))
      return fromStaple(fetched.problems);
    return { ...base, ...fetched, problems: [...stapleProblems, ...fetched.problems] };
  }
  /** The fetched status of a certificate, shared by every target whose path holds it. */
  fetched(record, cert, issuer, pointers, deadline) {
    const key = `${record.sha256}/${issuer?.sha256 ?? ""}`;
    let p = this.answers.get(key);
    if (!p) {
      p = this.ask(cert, issuer, pointers, deadline);
      this.answers.set(key, p);
    }
    return this.within(p, deadline);
  }
  unknown(problems, unchecked = null) {
    return {
      status: "unknown",
      source: null,
      checkedAt: this.checkedAt,
      thisUpdate: null,
      nextUpdate: null,
      reason: null,
      revokedAt: null,
      url: null,
      problems,
      unchecked
    };
  }
  within(p, deadline) {
    const left = deadline - Date.now();
    return new Promise((resolve) => {
      const t = setTimeout(
        () => resolve(this.unknown([`no answer within the ${this.opts.timeoutMs} ms deadline`])),
        Math.max(0, left)
      );
      void p.then((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }
  async ask(cert, issuer, pointers, deadline) {
    const named = pointers.ocsp.length + pointers.crl.length + pointers.other.length;
    if (named === 0) {
      return this.unknown(
        [...pointers.problems, "the certificate names no OCSP responder and no CRL distribution point"],
        "no-source"
      );
    }
    if (!issuer)
      return this.unknown(
        [
          ...pointers.problems,
          "the certificate's issuer is not known, so no answer about it can be verified"
        ],
        "no-issuer"
      );
    const fetchable = [...pointers.ocsp, ...pointers.crl].filter(isHttp);
    if (this.opts.fetcher.offline && fetchable.length)
      return this.unknown([fetchingOff(this.opts.fetcher.offlineReason)], "offline");
    const problems = [...pointers.problems, ...pointers.other.map((o) => `${o}: not fetched`)];
    let fallback = null;
    const consider = (a, source, url) => {
      const f = {
        status: a.status,
        source,
        checkedAt: this.checkedAt,
        thisUpdate: iso(a.thisUpdate),
        nextUpdate: iso(a.nextUpdate),
        reason: a.reason,
        revokedAt: iso(a.revokedAt),
        url,
        problems,
        unchecked: null
      };
      if (isFinal(a, this.nowMs, this.skewMs)) return f;
      fallback ??= f;
      return null;
    };
    for (const url of pointers.ocsp) {
      const where = `OCSP responder ${showUrl(url)}`;
      if (!isHttp(url)) {
        problems.push(`${where} is not an http or https URL: not fetched`);
        continue;
      }
      const r = await this.opts.fetcher.ocsp(url, ocspRequest(cert, issuer), {
        maxBytes: MAX_OCSP_RESPONSE_BYTES,
        deadline
      });
      if (!r.ok) {
        problems.push(`${where}: ${r.message}`);
        continue;
      }
      const v = verifyOcspResponse(r.body, { cert, issuer, now: this.nowMs, skewMs: this.skewMs });
      if (!v.ok) {
        problems.push(`${where}: ${v.problem}`);
        continue;
      }
      if (v.answer.status === "unknown") {
        problems.push(`${where} does not know this certificate (status unknown)`);
        continue;
      }
      const done = consider(v.answer, "ocsp", url);
      if (done) return done;
      problems.push(`${where}: the response is past its nextUpdate`);
    }
    for (const url of pointers.crl) {
      const where = `CRL ${showUrl(url)}`;
      if (!isHttp(url)) {
        problems.push(`${where} is not an http or https URL: not fetched`);
        continue;
      }
      const got = await this.crl(url, deadline);
      if ("problem" in got) {
        problems.push(`${where}: ${got.problem}`);
        continue;
      }
      const v = checkCrl(got.crl, {
        cert,
        issuer,
        now: this.nowMs,
        skewMs: this.skewMs,
        distributionPoints: pointers.crl
      });
      if (!v.ok) {
        problems.push(`${where}: ${v.problem}`);
        continue;
      }
      const done = consider(v.answer, "crl", url);
      if (done) return done;
      problems.push(`${where}: the CRL is past its nextUpdate`);
    }
    return fallback ?? this.unknown(problems);
  }
  /** A CRL fetched and parsed once per URL per run. */
  crl(url, deadline) {
    let p = this.crls.get(url);
    if (!p) {
      p = this.opts.fetcher.fetch({ url, maxBytes: MAX_CRL_BYTES, deadline, accept: "application/pkix-crl" }).then((r) => {
        if (!r.ok) return { problem: r.message };
        try {
          return { crl: parseCrl(r.body) };
        } catch (e) {
          return {
            problem: e instanceof CrlError ? e.message : `not a readable CRL (${e.message})`
          };
        }
      });
      this.crls.set(url, p);
    }
    return p;
  }
};

export {
  showUrl,
  NETWORK_FETCH_OFF,
  fetchingOff,
  OfflineFetcher,
  HTTP_FETCHER_SERVICE,
  Fetcher,
  TLS_FEATURE_OID,
  parseIp,
  matchPeerName,
  verifyChain,
  DEFAULT_SKEW_MS,
  revocationPath,
  RevocationStage
};
