"""The matchmaking board: post, search, view, respond, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arrangements.permissions import editable_organisation_ids
from organisations.models import Organisation
from partners.forms import BoardFilterForm, PostForm, ResponseForm
from partners.models import Post, PostView


def _editable(user):
    if user.is_moderator:
        return Organisation.objects.current()
    return Organisation.objects.filter(pk__in=editable_organisation_ids(user))


def board(request):
    form = BoardFilterForm(request.GET or None)
    posts = Post.objects.active().select_related("organisation", "category", "service")
    if form.is_valid():
        posts = posts.search(form.cleaned_data["q"])
        if form.cleaned_data["category"]:
            posts = posts.filter(category=form.cleaned_data["category"])
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    return render(request, "partners/board.html", {"form": form, "page": page})


@login_required
def new_post(request):
    organisations = _editable(request.user)
    if not organisations.exists():
        raise PermissionDenied("Only editors of an organisation can post for it.")
    form = PostForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        post = form.save(commit=False)
        post.created_by = request.user
        post.save()
        messages.success(request, "Your post is on the board.")
        return redirect(post)
    return render(request, "partners/post_form.html", {"form": form})


def post_detail(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("organisation", "category"), pk=pk)
    mine = request.user.is_authenticated and (
        request.user.is_moderator or post.organisation_id in editable_organisation_ids(request.user)
    )
    if not post.is_active and not mine:
        return render(request, "partners/post_gone.html", {"post": post}, status=410)
    responders = _editable(request.user).exclude(pk=post.organisation_id) if request.user.is_authenticated else None
    if request.user.is_authenticated and not mine:
        membership = request.user.memberships.select_related("organisation").first()
        PostView.objects.update_or_create(
            post=post, user=request.user, defaults={"organisation": membership.organisation if membership else None}
        )
    form = ResponseForm(request.POST or None, organisations=responders)
    if request.method == "POST":
        if not request.user.is_authenticated or not responders or not responders.exists():
            raise PermissionDenied("Only editors of another organisation can respond to a post.")
        if form.is_valid():
            response = form.save(commit=False)
            response.post, response.user = post, request.user
            response.save()
            messages.success(request, f"Your response has been sent to {post.organisation.name}.")
            return redirect(post)
    return render(
        request,
        "partners/post.html",
        {
            "post": post,
            "mine": mine,
            "form": form if responders and responders.exists() else None,
            "views": post.views.select_related("organisation", "user").order_by("-viewed_at") if mine else None,
            "responses": post.responses.select_related("organisation", "user") if mine else None,
            # A responder sees what they sent.
            "my_responses": (
                post.responses.filter(user=request.user).select_related("organisation").order_by("created_at")
                if request.user.is_authenticated and not mine
                else None
            ),
            "show_contact": request.user.is_authenticated or post.contact_public,
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    post = get_object_or_404(Post, pk=pk)
    if not (request.user.is_moderator or post.organisation_id in editable_organisation_ids(request.user)):
        raise PermissionDenied("Only editors of the organisation that posted can withdraw it.")
    post.withdrawn_at = timezone.now()
    post.save(update_fields=["withdrawn_at"])
    messages.success(request, "Your post has been withdrawn from the board.")
    return redirect("partners:board")
