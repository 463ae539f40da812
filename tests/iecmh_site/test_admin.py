def test_admin_is_branded(admin_client):
    response = admin_client.get("/admin/")

    assert "IECMH Workforce Partnership: site administration" in response.content.decode()
