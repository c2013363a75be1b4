"""Every operation of the seed pages, driven through NetApp's `netapp_ontap` resources exactly
as an admin's script would: list, get, create, patch, delete, jobs followed to their end, and
refusals carrying ONTAP's codes."""

import pytest
import requests
from conftest import PASSWORD, USER, tls_file
from netapp_ontap.error import NetAppRestError
from netapp_ontap.resources import (
    Cluster,
    Ipsec,
    Job,
    KeyServer,
    SecurityCertificate,
    SecurityConfig,
    SecurityKeyManager,
    Svm,
)

PASSPHRASE = "correct horse battery staple 0123456789"


def error_of(excinfo):
    body = excinfo.value.response_body or {}
    return body.get("error", {})


# --- transport ---------------------------------------------------------------------------


def test_the_simulator_is_reached_over_verified_https(demo):
    """The connection is HTTPS and its certificate is checked: trusted through the test CA,
    refused against the public roots (so `verify` is not silently off)."""
    assert demo.origin.startswith("https://")
    url = demo.origin + "/api/cluster"
    ok = requests.get(url, auth=(USER, PASSWORD), verify=tls_file("ca.pem"), timeout=10)
    assert ok.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url, auth=(USER, PASSWORD), verify=True, timeout=10)


# --- cluster -----------------------------------------------------------------------------


def test_cluster_and_svms(demo):
    cluster = Cluster()
    cluster.get(fields="name,version")
    assert cluster.name == "cluster1"
    assert cluster.version.generation == 9
    names = sorted(s.name for s in Svm.get_collection(fields="name"))
    assert names == ["vs0", "vs1"]


# --- /api/security -----------------------------------------------------------------------


def test_security_get_and_patch_followed_through_its_job(demo):
    config = SecurityConfig()
    config.get(fields="**")
    assert config.fips.enabled is False
    assert config.management_protocols.telnet_enabled is True
    change = SecurityConfig()
    change.management_protocols = {"telnet_enabled": False}
    # The answer is a 202 with the job; the client follows it to its end before returning.
    change.patch(poll=True, poll_interval=1, poll_timeout=30)
    jobs = list(Job.get_collection(fields="state,description"))
    assert [j.state for j in jobs if j.description == "PATCH /api/security"][-1] == "success"
    config.get(fields="management_protocols")
    assert config.management_protocols.telnet_enabled is False


def test_security_patch_that_fails_in_its_job_reports_the_code(demo, code):
    # The demo allows TLSv1.1: turning FIPS on is refused with ONTAP's code and target.
    change = SecurityConfig()
    change.fips = {"enabled": True}
    with pytest.raises(NetAppRestError) as excinfo:
        change.patch(poll=True, poll_interval=1, poll_timeout=30)
    assert excinfo.value.status_code == 400
    assert error_of(excinfo)["code"] == str(code["TLS11_WITH_FIPS"])
    assert error_of(excinfo)["target"] == "fips.enabled"
    assert error_of(excinfo)["message"]
    config = SecurityConfig()
    config.get(fields="fips")
    assert config.fips.enabled is False


# --- /api/security/ipsec -----------------------------------------------------------------


def test_ipsec_get_and_patch(demo):
    ipsec = Ipsec()
    ipsec.get()
    assert ipsec.enabled is False
    assert ipsec.replay_window == 0
    ipsec.enabled = True
    ipsec.replay_window = 128
    ipsec.patch()
    again = Ipsec()
    again.get(fields="enabled,replay_window")
    assert (again.enabled, again.replay_window) == (True, 128)
    again.enabled = False
    again.patch()


# --- /api/security/certificates ----------------------------------------------------------


def test_certificates_list_get_create_delete(demo):
    listed = list(SecurityCertificate.get_collection(fields="name,type,scope"))
    assert len(listed) >= 10
    assert all(c.uuid for c in listed)
    ten = list(SecurityCertificate.get_collection(max_records=3, fields="name"))
    assert len(ten) == len(listed), "following _links.next reaches every record"

    made = SecurityCertificate(
        svm={"name": "vs0"},
        type="server",
        common_name="conformance.example.com",
        name="conformance-server",
        expiry_time="P30DT",
    )
    made.post(hydrate=True)
    assert made.uuid, "the Location header names the new certificate"
    assert made.common_name == "conformance.example.com"
    read = SecurityCertificate(uuid=made.uuid)
    read.get(fields="name,type,public_certificate")
    assert read.name == "conformance-server"
    assert read.public_certificate.startswith("-----BEGIN CERTIFICATE-----")
    read.delete()
    with pytest.raises(NetAppRestError) as excinfo:
        SecurityCertificate(uuid=made.uuid).get()
    assert excinfo.value.status_code == 404
    assert error_of(excinfo)["code"] == "4"


def test_certificate_filters_and_counts(demo):
    count = SecurityCertificate.count_collection(type="server_ca")
    assert count >= 3
    found = list(SecurityCertificate.get_collection(type="server_ca", fields="type"))
    assert len(found) == count
    assert all(c.type == "server_ca" for c in found)


# --- /api/security/key-managers and key-servers -----------------------------------------


def test_external_key_manager_and_its_key_servers(demo, code):
    managers = list(SecurityKeyManager.get_collection(fields="uuid,svm.name,external"))
    assert len(managers) == 1
    km = managers[0]
    assert km.svm.name == "vs0"
    # The certificate references are {uuid, _links} unless asked for their names.
    assert not hasattr(km.external.client_certificate, "name")
    named = SecurityKeyManager(uuid=km.uuid)
    named.get(fields="external.client_certificate.name")
    assert named.external.client_certificate.name == "vs0-kmip-client"

    added = KeyServer(km.uuid, server="10.1.2.3:5696")
    added.post(hydrate=True)
    servers = sorted(s.server for s in KeyServer.get_collection(km.uuid))
    assert servers == ["10.1.2.3:5696", "kms1.example.com:5696"]
    one = KeyServer(km.uuid, server="10.1.2.3:5696")
    one.timeout = 40
    one.patch()
    one.get()
    assert one.timeout == 40
    one.delete()
    assert [s.server for s in KeyServer.get_collection(km.uuid)] == ["kms1.example.com:5696"]

    with pytest.raises(NetAppRestError) as excinfo:
        SecurityKeyManager(
            svm={"name": "vs0"},
            external={
                "client_certificate": {"name": "vs0-kmip-client"},
                "server_ca_certificates": [{"name": "vs0-kmip-ca"}],
                "servers": [{"server": "kms9.example.com"}],
            },
        ).post()
    assert error_of(excinfo)["code"] == str(code["KEY_MANAGER_EXISTS"])
    assert error_of(excinfo)["target"] == "svm"


def test_onboard_key_manager_lifecycle(empty, code):
    km = SecurityKeyManager(onboard={"passphrase": PASSPHRASE})
    km.post(hydrate=True)
    assert km.uuid
    assert km.onboard.key_backup.startswith("-----")
    wrong = "a candidate that is not the passphrase!!"
    with pytest.raises(NetAppRestError) as excinfo:
        probe = SecurityKeyManager(uuid=km.uuid)
        probe.onboard = {"existing_passphrase": wrong, "passphrase": wrong}
        probe.patch()
    assert error_of(excinfo)["code"] == str(code["PASSPHRASE_INCORRECT"])
    with pytest.raises(NetAppRestError) as excinfo:
        same = SecurityKeyManager(uuid=km.uuid)
        same.onboard = {"existing_passphrase": PASSPHRASE, "passphrase": PASSPHRASE}
        same.patch()
    assert error_of(excinfo)["code"] == str(code["PASSPHRASE_SAME_AS_OLD"])
    change = SecurityKeyManager(uuid=km.uuid)
    change.onboard = {
        "existing_passphrase": PASSPHRASE,
        "passphrase": "another passphrase of more than 32 chars",
    }
    change.patch()
    SecurityKeyManager(uuid=km.uuid).delete()
    assert SecurityKeyManager.count_collection() == 0


def test_an_empty_cluster_has_its_own_certificates(empty):
    types = sorted(c.type for c in SecurityCertificate.get_collection(fields="type"))
    assert types == ["root_ca", "server"]
