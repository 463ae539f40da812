from django.shortcuts import render

from pages.models import Role


def home(request):
    return render(request, "pages/home.html", {"roles": Role.objects.all()})
